/**
 * The orchestrator process: load the config, check the fleet, serve the API, start the fleet, and
 * stop it in order on SIGINT/SIGTERM (@drift/runtime's lifecycle helper, with a deadline over the worst-case
 * stop). A bad config or a missing app entry is reported (stderr and log) before anything starts,
 * exit code 2; a fleet that cannot start exits 1. `main.ts` supplies the logging.
 */
import { ConfigError, loadFleetConfig } from '@drift/config';
import type { Logger } from '@drift/logging';
import { startApp } from '@drift/runtime';
import { FleetSpecError, userCwd, workspaceRootFor } from './child-spec.js';
import { FleetStartError } from './fleet.js';
import type { LogFeedOptions } from './log-feed.js';
import { createOrchestrator, type Orchestrator, stopBudgetMs } from './orchestrator.js';

export interface MainOptions {
  logger: Logger;
  flushLogs: () => Promise<unknown>;
  logs?: Pick<LogFeedOptions, 'fileOf' | 'parse'>;
}

export async function runMain({ logger, flushLogs, logs }: MainOptions): Promise<void> {
  const fail = async (err: Error, code: number): Promise<never> => {
    process.stderr.write(`orchestrator: ${err.message}\n`);
    logger.fatal({ err }, 'orchestrator cannot start');
    await flushLogs();
    process.exit(code);
  };

  let orchestrator: Orchestrator;
  let config: ReturnType<typeof loadFleetConfig>;
  try {
    config = loadFleetConfig({ cwd: userCwd() });
    orchestrator = await createOrchestrator({
      config,
      logger,
      root: workspaceRootFor(config.source),
      configPath: config.source,
      ...(logs && { logs }),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (
      err instanceof ConfigError ||
      err instanceof FleetSpecError ||
      code === 'EADDRINUSE' ||
      code === 'EACCES'
    )
      return fail(err as Error, 2);
    throw err;
  }
  const { fleet, api } = orchestrator;

  // A little over the worst-case ordered stop, so every SIGKILL fallback gets its turn.
  const lifecycle = startApp({
    appName: 'orchestrator',
    logger,
    deadlineMs: stopBudgetMs(fleet) + 3_000,
    flushLogs,
  });
  lifecycle.onShutdown('stop the fleet', () => orchestrator.stop());

  logger.info({ mode: config.mode, apps: fleet.apps.map((a) => a.name), api: api.url }, 'starting the fleet');
  try {
    await fleet.start();
  } catch (err) {
    if (!(err instanceof FleetStartError)) throw err;
    process.stderr.write(`orchestrator: ${err.message}\n`);
    logger.fatal({ err }, 'fleet did not start');
    await lifecycle.shutdown('fleet did not start', 1);
  }
  if (!fleet.isStopping) lifecycle.ready({ api: api.url, apps: fleet.apps.map((a) => a.name) });
}
