/**
 * `pnpm start`: run the fleet from the config until SIGINT/SIGTERM. A bad config or a missing app
 * is reported (stderr and log) before anything starts, exit code 2; a fleet that cannot start exits 1.
 */

import { ConfigError, loadFleetConfig, startApp } from '@drift/core';
import { flushLogs, logFilePath, parseLogLine, setupCriticalLogging } from '@drift/logging';
import { FleetSpecError, workspaceRootFor } from './child-spec.js';
import { FleetStartError } from './fleet.js';
import { toParsedLine } from './log-lines.js';
import { createOrchestrator, stopBudgetMs } from './orchestrator.js';

const logger = setupCriticalLogging('orchestrator');

async function fail(err: Error, code: number): Promise<never> {
  process.stderr.write(`orchestrator: ${err.message}\n`);
  logger.fatal({ err }, 'orchestrator cannot start');
  await flushLogs();
  process.exit(code);
}

let config: ReturnType<typeof loadFleetConfig>;
try {
  config = loadFleetConfig();
} catch (err) {
  if (err instanceof ConfigError) await fail(err, 2);
  throw err;
}
const root = workspaceRootFor(config.source);

let orchestrator: Awaited<ReturnType<typeof createOrchestrator>>;
try {
  orchestrator = await createOrchestrator({
    config,
    logger,
    root,
    configPath: config.source,
    logs: { fileOf: logFilePath, parse: (line) => toParsedLine(parseLogLine(line)) },
  });
} catch (err) {
  if (err instanceof FleetSpecError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    await fail(err as Error, 2);
  throw err;
}
const { fleet, api } = orchestrator;

// A little over the worst-case ordered stop, so the SIGKILL fallbacks always get their turn.
const lifecycle = startApp({ appName: 'orchestrator', logger, deadlineMs: stopBudgetMs(fleet) + 3_000 });
lifecycle.onShutdown('stop the fleet', () => orchestrator.stop());

logger.info({ mode: config.mode, apps: fleet.apps.map((a) => a.name), api: api.url }, 'starting the fleet');
try {
  await fleet.start();
  lifecycle.ready({ api: api.url, apps: fleet.apps.map((a) => a.name) });
} catch (err) {
  if (!(err instanceof FleetStartError)) throw err;
  process.stderr.write(`orchestrator: ${err.message}\n`);
  logger.fatal({ err }, 'fleet did not start');
  await lifecycle.shutdown('fleet did not start', 1);
}
