/** The fleet status the API returns and the CLI prints. */
import { type BotSummary, botSummary } from './bot-summary.js';
import type { Fleet, RiskVerdict } from './fleet.js';
import type { AppSnapshot } from './supervised-app.js';

/** An app as the API shows it: a bot that has reported also carries its session figures. */
export type AppStatusView = AppSnapshot & { summary?: BotSummary };

export interface FleetStatus {
  at: number;
  /** The fleet's trading state, and the age of the risk manager's last word (null: none since it started). */
  risk: RiskVerdict & { wordAgeMs: number | null };
  stopping: boolean;
  apps: AppStatusView[];
}

export function fleetStatus(fleet: Fleet, now = Date.now()): FleetStatus {
  return {
    at: now,
    risk: { ...fleet.riskVerdict, wordAgeMs: fleet.riskWordAgeMs(now) },
    stopping: fleet.isStopping,
    apps: fleet
      .status(now)
      .map((app) => (app.kind === 'bot' && app.status ? { ...app, summary: botSummary(app.status) } : app)),
  };
}
