/**
 * `pnpm --filter trend-bot start`: trend following on the oracle's candles. Paper mode (default)
 * trades the shared sim server when the orchestrator runs the fleet, else an embedded simulator.
 * Runs until SIGINT/SIGTERM or the orchestrator's stop.
 */
import { loadFleetConfig } from '@drift/config';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { noOptionsUsage, readCliArgs, startApp } from '@drift/runtime';
import { openVenue } from 'drift-client';
import { startBotOrders, startFreshnessGuard } from 'order-management';
import { TrendBot } from './bot.js';
import { loadTrendParams } from './params.js';

const APP = 'trend-bot';
const STATUS_MS = 1_000;

// Configured by the fleet config alone: any argument is a mistake, refused before anything starts.
readCliArgs({ app: APP, usage: noOptionsUsage(APP) });
const logger = setupCriticalLogging(APP);
const app = startApp({ appName: APP, logger, flushLogs });

try {
  const config = loadFleetConfig();
  const params = loadTrendParams(config);

  // Keeps the process alive (the embedded simulator's clock does not) and feeds heartbeats.
  let bot: TrendBot | undefined;
  const status = setInterval(() => {
    bot
      ?.status()
      .then((s) => app.setStatus(s))
      .catch((err: unknown) => logger.warn({ err }, 'status read failed'));
  }, STATUS_MS);
  app.onShutdown('stop status', () => clearInterval(status));

  const venue = await openVenue(app, config, { logger, appName: APP });

  const orders = await startBotOrders(app, { bot: APP, venue, config, logger });

  const freshness = await startFreshnessGuard(app, {
    venue,
    orders,
    markets: params.markets,
    config,
    logger,
  });
  bot = new TrendBot({ venue, orders, logger, params, freshness, bot: APP });
  await bot.start();
  app.onShutdown('stop following prices', () => bot?.stop());

  app.setStatus(await bot.status());
  app.ready({ mode: config.mode, subAccount: venue.subAccount, markets: params.markets });
} catch (err) {
  logger.error({ err }, 'trend-bot failed to start');
  await app.shutdown('start-up failed', 1);
}
