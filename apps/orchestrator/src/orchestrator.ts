/**
 * Wires one orchestrator: fleet specs from the config (checked before anything starts), the fleet,
 * metrics, the log feed and the API server. `main.ts` adds process concerns (logging setup, signals).
 */
import { ConfigError, type FleetConfig } from '@drift/config';
import { type Logger, resolveLogDir } from '@drift/logging';
import { dataDir, riskManagerOf } from '@drift/runtime';
import { type ApiServer, startApiServer } from './api-server.js';
import { ensureToken } from './api-token.js';
import { appParamsIssues } from './app-params.js';
import { buildChildSpecs, FleetSpecError, type SpecOptions } from './child-spec.js';
import { Fleet, stopBudgetOf } from './fleet.js';
import { LogFeed, type LogFeedOptions } from './log-feed.js';
import { LogRoutineScheduler } from './log-routine-scheduler.js';
import { createFleetMetrics } from './metrics.js';

export interface OrchestratorOptions extends SpecOptions {
  config: FleetConfig;
  logger: Logger;
  root: string;
  stdio?: 'inherit' | 'ignore';
  /** Where each app's log file is and how to read a line (from @drift/logging); no feed without it. */
  logs?: Pick<LogFeedOptions, 'fileOf' | 'parse'>;
}

export interface Orchestrator {
  fleet: Fleet;
  api: ApiServer;
  /** Set when the token was generated: the file holding it (the CLI reads it). */
  tokenFile?: string;
  stop(): Promise<void>;
}

/**
 * Builds and serves the fleet (not started yet: call `fleet.start()`). Throws `ConfigError` listing
 * every problem of the fleet spec and of every app's params together.
 */
export async function createOrchestrator(opts: OrchestratorOptions): Promise<Orchestrator> {
  const { config, logger } = opts;
  const specs = await checkedSpecs(config, opts);
  const hasRiskManager = riskManagerOf(config) !== undefined;
  if (!hasRiskManager)
    logger.warn(
      { mode: config.mode, allowNoRiskManager: true },
      'paper fleet WITHOUT a risk manager (risk.allowNoRiskManager): nothing enforces the risk limits',
    );
  const fleet = new Fleet(specs, {
    timings: config.orchestrator,
    logger,
    stdio: opts.stdio ?? 'inherit',
    ...(hasRiskManager && { failClosed: config.failClosed }),
  });
  const metrics = createFleetMetrics(fleet, {
    logDir: resolveLogDir(),
    dataDir: dataDir({ root: opts.root }),
  });
  const feed = opts.logs
    ? new LogFeed(
        specs.map((s) => s.name),
        { ...opts.logs, onProblem: metrics.onLogProblem },
      )
    : undefined;
  feed?.start();
  const routine = new LogRoutineScheduler(logger, opts.stdio ?? 'inherit');
  routine.start();
  const { token, file } = ensureToken(config.orchestrator.api.token, opts.root);
  const api = await startApiServer({
    fleet,
    token,
    registry: metrics.registry,
    ...(feed && { logFeed: feed }),
    logger,
    host: config.orchestrator.api.host,
    port: config.orchestrator.api.port,
  });
  if (file)
    logger.info({ tokenFile: file }, 'no API token configured: generated one (read by the fleet CLI)');
  return {
    fleet,
    api,
    ...(file && { tokenFile: file }),
    async stop() {
      await fleet.stop();
      routine.stop();
      feed?.stop();
      await api.close();
    },
  };
}

/** The child specs, once the fleet spec and every app's params are known good (one report if not). */
async function checkedSpecs(config: FleetConfig, opts: OrchestratorOptions) {
  const issues = await appParamsIssues(config, opts.root);
  try {
    const specs = buildChildSpecs(config, opts);
    if (issues.length === 0) return specs;
  } catch (err) {
    if (!(err instanceof FleetSpecError)) throw err;
    issues.unshift(...err.issues);
  }
  throw new ConfigError(config.source, issues);
}

/** Longest a whole-fleet stop can take: bots in parallel, the rest one after another. */
export function stopBudgetMs(fleet: Fleet): number {
  return stopBudgetOf(fleet.apps.map((a) => a.spec));
}
