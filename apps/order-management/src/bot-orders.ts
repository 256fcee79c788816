/**
 * A bot's order flow as every bot's main sets it up: the journal under the data dir, the fleet's
 * risk limits as a pre-trade check, the fleet's trading state followed (halted: nothing goes out),
 * and the bot's open orders cancelled at shutdown.
 */
import type { AppLifecycle, FleetConfig, LimitSet, Venue } from '@drift/core';
import { defaultJournalPath } from './journal-path.js';
import type { OrderLogger } from './logger.js';
import { OrderManager, type OrderManagerOptions } from './order-manager.js';
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

export async function startBotOrders(
  app: Pick<AppLifecycle, 'onShutdown' | 'tradingState' | 'onTradingState'>,
  opts: { bot: string; venue: Venue; config: FleetConfig; logger: OrderLogger },
): Promise<OrderManager> {
  const { bot, venue, config, logger } = opts;
  const orders = await startRiskCheckedOrders({
    bot,
    venue,
    journal: defaultJournalPath(bot),
    logger,
    limits: config.risk,
  });
  orders.followTradingState(app);
  app.onShutdown('cancel orders', () => orders.stop());
  return orders;
}
