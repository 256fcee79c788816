/**
 * `pnpm --filter swift-client start [--market SOL-PERP]...`: taps the taker order stream the fleet
 * config selects (paper: the simulator's signed stream; live: Swift) and logs every order.
 */
import { loadFleetConfig } from '@drift/config';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { readCliArgs, startApp } from '@drift/runtime';
import { recordTakers, StreamRecorder } from '@drift/sim';
import { parseCli, USAGE } from './cli.js';
import { createTakerSource } from './create-taker-source.js';
import { tapStream } from './tap.js';

// A bad argument is refused (stderr, exit 2, with the usage) before the log file or the stream opens.
const cli = readCliArgs({ app: 'swift-client', usage: USAGE, parse: parseCli });
const logger = setupCriticalLogging('swift-client');
const app = startApp({ appName: 'swift-client', logger, flushLogs });

try {
  const config = loadFleetConfig();
  const markets = cli.markets.length > 0 ? cli.markets : config.markets;
  const source = await createTakerSource(config, { logger });
  app.onShutdown('close stream', () => source.close());
  const stop = tapStream(source, markets, logger);
  if (cli.record !== undefined) {
    const recorder = new StreamRecorder(cli.record);
    const stopRecording = recordTakers(source, markets, recorder);
    app.onShutdown('stop recording', () => {
      stopRecording();
      recorder.close();
    });
    logger.info({ path: cli.record }, 'recording taker orders');
  }
  // The embedded simulator's clock does not hold the process open (it is unref'd): this does, until shutdown.
  const keepAlive = setInterval(() => undefined, 60_000);
  app.onShutdown('stop tapping', () => {
    stop();
    clearInterval(keepAlive);
  });
  app.ready({ mode: config.mode, markets });
} catch (err) {
  logger.error({ err }, 'swift-client failed');
  await app.shutdown('start-up failed', 1);
}
