/**
 * A bot's order flow as every bot's main sets it up: the journal under the data dir, the fleet's
 * risk limits as a pre-trade check, the fleet's trading state followed (halted: nothing goes out),
 * every order's expiry from `orders.expiryMs` (refreshed while the bot lives), and the bot's open
 * orders cancelled at shutdown.
 */
import type { FleetConfig } from '@drift/config';
import type { LimitSet, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import {
  type AppLifecycle,
  FAIL_CLOSED_BY,
  RISK_WORD_FILE_ENV,
  readRiskWord,
  riskManagerIssues,
  riskManagerOf,
} from '@drift/runtime';
import { acquireInstanceLock, type InstanceLock, instanceLockFiles } from './instance-lock.js';
import { defaultJournalPath } from './journal-path.js';
import { OrderManager, type OrderManagerOptions } from './order-manager.js';
import { claimPaperJournal, paperSessionId } from './paper-session.js';
import { riskLimitsCheck, venueRiskSnapshot } from './risk-check.js';

/** An OrderManager, started, that checks every order against `limits` on its venue's own account first. */
export async function startRiskCheckedOrders(
  options: OrderManagerOptions & { limits: LimitSet },
): Promise<OrderManager> {
  const { limits, ...managerOptions } = options;
  const orders = new OrderManager(managerOptions);
  await orders.start();
  orders.addPreTradeCheck(riskLimitsCheck(limits, venueRiskSnapshot(options.venue)));
  return orders;
}

type BotLifecycle = Pick<
  AppLifecycle,
  'onShutdown' | 'tradingState' | 'onTradingState' | 'supervised' | 'requireRiskWord' | 'hearRiskWord'
>;

/**
 * Fail closed: a bot trades only while the risk manager's word is fresh. Under the orchestrator the
 * word comes over IPC; under an exported supervisor (pm2, systemd) from the word file the risk
 * manager rewrites (`DRIFT_RISK_WORD_FILE`, which the exports set). Alone, a live bot refuses to
 * start (no risk manager watches it); a paper one runs with a WARN.
 */
function followRiskManager(app: BotLifecycle, config: FleetConfig, bot: string, logger: LoggerLike): void {
  const issues = riskManagerIssues(config);
  if (issues.length > 0) throw new Error(`${bot}: ${issues.join('; ')}`);
  if (riskManagerOf(config) === undefined) return; // paper, allowed by risk.allowNoRiskManager (WARNed at start)
  if (app.supervised) {
    app.requireRiskWord(config.failClosed);
    return;
  }
  const wordFile = process.env[RISK_WORD_FILE_ENV];
  if (wordFile) {
    const listen = () => {
      const word = readRiskWord(wordFile);
      if (word) app.hearRiskWord(word);
    };
    listen(); // before the guard, so a fresh word at start is no flap through `reducing`
    app.requireRiskWord(config.failClosed);
    const timer = setInterval(listen, Math.max(50, Math.min(1_000, config.failClosed.silenceMs / 4)));
    timer.unref();
    app.onShutdown('stop reading the risk word', () => clearInterval(timer));
    logger.info({ bot, wordFile }, 'following the risk manager through its word file');
    return;
  }
  if (config.mode === 'live')
    throw new Error(
      `${bot}: live mode trades only watched by the risk manager (under the orchestrator, or ${RISK_WORD_FILE_ENV} naming its word file)`,
    );
  logger.warn({ bot, mode: config.mode }, 'started alone: no risk manager watches this paper bot');
}

/**
 * One instance per journal and per (wallet, sub-account), locked before the journal opens: a second
 * instance throws `InstanceLockError` naming the holder's pid, having registered no shutdown step
 * (no cancel-all of the first's orders on its way out). Released last at shutdown.
 */
function lockInstance(
  app: BotLifecycle,
  config: FleetConfig,
  bot: string,
  journal: string,
  subAccount: number,
) {
  const files = instanceLockFiles({ config, bot, journal, subAccount, supervised: app.supervised });
  const held: InstanceLock[] = [];
  try {
    for (const { file, what } of files) held.push(acquireInstanceLock(file, what));
  } catch (err) {
    for (const lock of held) lock.release();
    throw err;
  }
  app.onShutdown('release instance locks', () => {
    for (const lock of held) lock.release();
  });
}

export async function startBotOrders(
  app: BotLifecycle,
  opts: { bot: string; venue: Venue; config: FleetConfig; logger: LoggerLike },
): Promise<OrderManager> {
  const { bot, venue, config, logger } = opts;
  followRiskManager(app, config, bot, logger);
  const journal = defaultJournalPath(bot);
  lockInstance(app, config, bot, journal, venue.subAccount);
  if (config.mode === 'paper') claimPaperJournal(journal, paperSessionId(), logger);
  const orders = await startRiskCheckedOrders({
    bot,
    venue,
    journal,
    logger,
    limits: config.risk,
    orderExpiryMs: config.orders.expiryMs,
  });
  orders.followTradingState(app);
  // Reducing keeps resting orders; failing closed does not (halted cancels them anyway).
  app.onTradingState((state, _reason, by) => {
    if (by !== FAIL_CLOSED_BY || state !== 'reducing') return;
    orders
      .cancelAll()
      .catch((err: unknown) => logger.error({ err }, 'fail closed: cancelling resting orders failed'));
  });
  app.onShutdown('cancel orders', () => orders.stop());
  return orders;
}
