/**
 * `pnpm --filter hedge-bot start`: keeps the fleet's net delta per market inside a band. Paper mode
 * (default) reads the shared sim server when the orchestrator runs the fleet (where the market
 * maker's positions are), else an embedded simulator. Runs until SIGINT/SIGTERM or a stop.
 */
import { loadFleetConfig } from '@drift/config';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { FailureStreak, noOptionsUsage, readCliArgs, startApp } from '@drift/runtime';
import { openVenue } from 'drift-client';
import { startBotOrders, startFreshnessGuard } from 'order-management';
import { HedgeBot } from './bot.js';
import { hedgedMarkets, loadHedgeParams } from './params.js';

const APP = 'hedge-bot';

// Configured by the fleet config alone: any argument is a mistake, refused before anything starts.
readCliArgs({ app: APP, usage: noOptionsUsage(APP) });
const logger = setupCriticalLogging(APP);
const app = startApp({ appName: APP, logger, flushLogs });

try {
  const config = loadFleetConfig();
  const params = loadHedgeParams(config);

  const venue = await openVenue(app, config, { logger, appName: APP, subAccounts: params.watchSubAccounts });

  const orders = await startBotOrders(app, { bot: APP, venue, config, logger });

  const markets = hedgedMarkets(params);
  const freshness = await startFreshnessGuard(app, { venue, orders, markets, config, logger });
  const bot = new HedgeBot({ venue, orders, logger, params, freshness, bot: APP });
  // The poll timer also keeps the process alive (the embedded simulator's clock does not).
  // A venue restart fails a few polls with a connection error: WARN, ERROR only if it lasts.
  const failures = new FailureStreak();
  const timer = setInterval(() => {
    bot
      .poll()
      .then(() => {
        failures.succeeded();
        app.setStatus(bot.status());
      })
      .catch((err: unknown) =>
        logger[failures.failed(err)]({ err, failingForMs: failures.failingForMs() }, 'hedge poll failed'),
      );
  }, params.pollIntervalMs);
  app.onShutdown('stop hedging', async () => {
    clearInterval(timer);
    await bot.stop();
    app.setStatus(bot.status());
  });

  await bot.poll();
  app.setStatus(bot.status());
  app.ready({
    mode: config.mode,
    subAccount: venue.subAccount,
    watching: params.watchSubAccounts,
    markets,
  });
} catch (err) {
  logger.error({ err }, 'hedge-bot failed to start');
  await app.shutdown('start-up failed', 1);
}
