/**
 * A bot's order flow as every bot's main sets it up: the journal under the data dir, the fleet's
 * risk limits as a pre-trade check, the fleet's trading state followed (halted: nothing goes out),
 * and the bot's open orders cancelled at shutdown.
 */
import type { AppLifecycle, FleetConfig, Venue } from '@drift/core';
import { defaultJournalPath } from './journal-path.js';
import type { OrderLogger } from './logger.js';
import { OrderManager } from './order-manager.js';
import { riskLimitsCheck, venueRiskSnapshot } from './risk-check.js';

export async function startBotOrders(
  app: Pick<AppLifecycle, 'onShutdown' | 'tradingState' | 'onTradingState'>,
  opts: { bot: string; venue: Venue; config: FleetConfig; logger: OrderLogger },
): Promise<OrderManager> {
  const { bot, venue, config, logger } = opts;
  const orders = new OrderManager({ bot, venue, journal: defaultJournalPath(bot), logger });
  await orders.start();
  orders.addPreTradeCheck(riskLimitsCheck(config.risk, venueRiskSnapshot(venue)));
  orders.followTradingState(app);
  app.onShutdown('cancel orders', () => orders.stop());
  return orders;
}
