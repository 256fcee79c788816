/** The fleet status the API returns and the CLI prints. */
import type { Fleet, RiskVerdict } from './fleet.js';
import type { AppSnapshot } from './supervised-app.js';

export interface FleetStatus {
  at: number;
  risk: RiskVerdict;
  stopping: boolean;
  apps: AppSnapshot[];
}

export function fleetStatus(fleet: Fleet, now = Date.now()): FleetStatus {
  return { at: now, risk: fleet.riskVerdict, stopping: fleet.isStopping, apps: fleet.status(now) };
}
