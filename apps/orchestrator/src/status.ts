/** The fleet status the API returns and the CLI prints. */
import type { Fleet, RiskVerdict } from './fleet.js';
import type { AppSnapshot } from './supervised-app.js';

export interface FleetStatus {
  at: number;
  /** The fleet's trading state, and the age of the risk manager's last word (null: none since it started). */
  risk: RiskVerdict & { wordAgeMs: number | null };
  stopping: boolean;
  apps: AppSnapshot[];
}

export function fleetStatus(fleet: Fleet, now = Date.now()): FleetStatus {
  return {
    at: now,
    risk: { ...fleet.riskVerdict, wordAgeMs: fleet.riskWordAgeMs(now) },
    stopping: fleet.isStopping,
    apps: fleet.status(now),
  };
}
