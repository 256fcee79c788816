/**
 * `pnpm --filter swift-client start [--market SOL-PERP]...`: taps the taker order stream the fleet
 * config selects (paper: the simulator's signed stream; live: Swift) and logs every order.
 */
import { loadFleetConfig, startApp } from '@drift/core';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { CliError, parseCli } from './cli.js';
import { createTakerSource } from './create-taker-source.js';
import { tapStream } from './tap.js';

const logger = setupCriticalLogging('swift-client');
const app = startApp({ appName: 'swift-client', logger, flushLogs });

try {
  const cli = parseCli(process.argv.slice(2));
  const config = loadFleetConfig();
  const markets = cli.markets.length > 0 ? cli.markets : config.markets;
  const source = await createTakerSource(config, { logger });
  app.onShutdown('close stream', () => source.close());
  const stop = tapStream(source, markets, logger);
  // The embedded simulator's clock does not hold the process open (it is unref'd): this does, until shutdown.
  const keepAlive = setInterval(() => undefined, 60_000);
  app.onShutdown('stop tapping', () => {
    stop();
    clearInterval(keepAlive);
  });
  app.ready({ mode: config.mode, markets });
} catch (err) {
  // A bad argument exits 2 like every other app's; the error is logged first, so it is in the file too.
  const usage = err instanceof CliError;
  logger.error({ err }, usage ? 'bad arguments' : 'swift-client failed');
  await app.shutdown(usage ? 'bad arguments' : 'start-up failed', usage ? 2 : 1);
}
