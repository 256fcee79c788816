/**
 * `pnpm --filter drift-client start [--watch] [--sub-account N]`: connects to the venue the fleet
 * config selects (paper: the simulator; live: Drift), logs a snapshot of the account and the
 * configured markets, and exits; with `--watch` (implied when the orchestrator runs it) it keeps
 * logging oracle and position changes.
 */
import { loadFleetConfig, parseAppParams } from '@drift/config';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { readCliArgs, startApp } from '@drift/runtime';
import { parseCli, USAGE } from './cli.js';
import { createVenue } from './create-venue.js';
import { driftClientParamsSchema } from './params.js';
import { recordVenue } from './record.js';
import { accountSnapshot, marketSnapshots } from './snapshot.js';
import { watchVenue } from './watch.js';

// A bad argument is refused (stderr, exit 2, with the usage) before the log file or the venue opens.
const cli = readCliArgs({ app: 'drift-client', usage: USAGE, parse: parseCli });
const logger = setupCriticalLogging('drift-client');
const app = startApp({ appName: 'drift-client', logger, flushLogs });

try {
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
    if (cli.record !== undefined) {
      const params = parseAppParams(config, 'drift-client', driftClientParamsSchema);
      const recording = await recordVenue(venue, cli.record, { logger, params });
      app.onShutdown('stop recording', () => recording.stop());
      logger.info({ path: cli.record, records: recording.kinds }, 'recording');
    }
    app.ready({ mode: config.mode, subAccount: venue.subAccount });
  }
} catch (err) {
  logger.error({ err }, 'drift-client failed');
  await app.shutdown('start-up failed', 1);
}
