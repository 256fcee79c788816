/**
 * `pnpm --filter drift-client start [--watch] [--sub-account N]`: connects to the venue the fleet
 * config selects (paper: the simulator; live: Drift), logs a snapshot of the account and the
 * configured markets, and exits; with `--watch` (implied when the orchestrator runs it) it keeps
 * logging oracle and position changes.
 */
import { loadFleetConfig, startApp } from '@drift/core';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { CliError, parseCli } from './cli.js';
import { createVenue } from './create-venue.js';
import { accountSnapshot, marketSnapshots } from './snapshot.js';
import { watchVenue } from './watch.js';

const logger = setupCriticalLogging('drift-client');
const app = startApp({ appName: 'drift-client', logger, flushLogs });

try {
  const cli = parseCli(process.argv.slice(2));
  const config = loadFleetConfig();
  const venue = await createVenue(config, {
    logger,
    appName: 'drift-client',
    ...(cli.subAccount !== undefined && { subAccount: cli.subAccount }),
  });
  app.onShutdown('close venue', () => venue.close());
  await venue.connect();
  for (const market of await marketSnapshots(venue)) logger.info(market, 'market');
  logger.info({ mode: config.mode, env: config.env, ...(await accountSnapshot(venue)) }, 'account');
  // Under the orchestrator the snapshot is not the job: keep watching (an exit would be a restart).
  if (!cli.watch && !app.supervised) {
    await app.shutdown('snapshot logged', 0);
  } else {
    const stop = watchVenue(venue, logger);
    app.onShutdown('stop watching', stop);
    app.ready({ mode: config.mode, subAccount: venue.subAccount });
  }
} catch (err) {
  // A bad argument exits 2 like every other app's; the error is logged first, so it is in the file too.
  const usage = err instanceof CliError;
  logger.error({ err }, usage ? 'bad arguments' : 'drift-client failed');
  await app.shutdown(usage ? 'bad arguments' : 'start-up failed', usage ? 2 : 1);
}
