/**
 * `runBot`: a bot's whole `main.ts`. In order: refuses any argument (the fleet config configures a
 * bot), critical logging, the process lifecycle (ready, heartbeats, halt/resume, graceful stop), the
 * fleet config and the bot's params, the venue (paper: the fleet's sim server or an embedded
 * simulator; live: Drift), the order flow (instance lock, journal, risk-limit check, the risk
 * manager's word followed, expiry, cancel-all at shutdown), the data-freshness guard, then the bot:
 * started, ticked, its status in every heartbeat. Shutdown unwinds in reverse: the bot stops, then
 * what its factory opened, the guard, the orders are cancelled, the venue closes.
 */
import { ConfigError, type FleetConfig, loadFleetConfig } from '@drift/config';
import { flushLogs, type LoggerLike } from '@drift/logging';
import { noOptionsUsage, readCliArgs, startApp } from '@drift/runtime';
import { openVenue } from 'drift-client';
import { startBotOrders, startFreshnessGuard } from 'order-management';
import type { Bot, BotDeps } from './bot.js';
import { heartbeatStatus } from './heartbeat-status.js';
import { startTickLoop, type TickLoop } from './tick-loop.js';

/** How often the heartbeat status is refreshed (heartbeats go out every DRIFT_HEARTBEAT_MS). */
const STATUS_MS = 250;

export interface RunBotOptions<P> {
  /** The app's name: its log file, journal, config entry (`apps.<app>`). */
  app: string;
  /**
   * `setupCriticalLogging` from `@drift/logging`, handed over by the bot's entry (where the repo
   * wants a process's logging set up, and `drift-logs audit` looks); called once the arguments
   * are known good, with `app`.
   */
  setupLogging: (app: string) => LoggerLike;
  /** Reads and validates `apps.<app>.params`; throws naming the field and the value. */
  loadParams: (config: FleetConfig) => P;
  /** The markets the bot trades: their data's freshness is guarded; named in the ready message. */
  markets: (params: P) => readonly string[];
  /** Sub-accounts the venue follows besides the bot's own (named `watching` in the ready message). */
  watchSubAccounts?: (params: P) => readonly number[];
  /** Makes the bot from what the runtime started (not started yet: the runtime calls `start`). */
  create: (deps: BotDeps<P>) => Bot | Promise<Bot>;
}

/**
 * Runs the bot until SIGINT/SIGTERM, the orchestrator's stop or the loss of its IPC channel. A
 * failure before ready is logged (`<app> failed to start`, ERROR) and the process exits after
 * unwinding what had started: 2 for a configuration error (config or params), else 1.
 */
export async function runBot<P>(options: RunBotOptions<P>): Promise<void> {
  const name = options.app;
  readCliArgs({ app: name, usage: noOptionsUsage(name) });
  const logger = options.setupLogging(name);
  const failedToStart = `${name} failed to start`;
  const app = startApp({ appName: name, logger, flushLogs });

  // Keeps the process alive (the embedded simulator's clock does not) and feeds the heartbeats.
  let report: (() => void) | undefined;
  const heartbeat = setInterval(() => report?.(), STATUS_MS);
  app.onShutdown('stop status', () => clearInterval(heartbeat));

  try {
    const config = loadFleetConfig();
    const params = options.loadParams(config);
    const markets = options.markets(params);
    const watching = options.watchSubAccounts?.(params);

    const venue = await openVenue(app, config, {
      logger,
      appName: name,
      ...(watching && { subAccounts: watching }),
    });
    const orders = await startBotOrders(app, { bot: name, venue, config, logger });
    const freshness = await startFreshnessGuard(app, { venue, orders, markets, config, logger });

    const bot = await options.create({ bot: name, config, params, venue, orders, freshness, logger, app });
    if (bot.tick && !(Number.isInteger(bot.tickMs) && (bot.tickMs ?? 0) > 0))
      throw new Error(`${name}: tickMs ${String(bot.tickMs)} is not a positive whole number of ms`);
    const reportNow = () => app.setStatus(heartbeatStatus(orders, bot));
    let ticks: TickLoop | undefined;
    // Registered before start: a start that fails half-way is stopped all the same.
    app.onShutdown('stop the bot', async () => {
      await ticks?.stop();
      await bot.stop();
      reportNow();
    });
    await bot.start();
    report = reportNow;
    if (bot.tick) {
      const tick = bot.tick.bind(bot);
      ticks = startTickLoop({
        tick,
        everyMs: bot.tickMs as number,
        logger,
        what: `${name} tick`,
        after: reportNow,
      });
    }

    reportNow();
    app.ready({
      mode: config.mode,
      subAccount: venue.subAccount,
      ...(watching && { watching }),
      markets,
    });
  } catch (err) {
    logger.error({ err }, failedToStart);
    // A configuration error (the fleet config, the bot's params) is the operator's to fix: exit 2.
    await app.shutdown('start-up failed', err instanceof ConfigError ? 2 : 1);
  }
}
