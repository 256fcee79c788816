/**
 * A bot's heartbeat status, the same shape for every bot: order-management's counts (open orders,
 * fills, orders placed, fees) and counters, with the bot's PnL and its own counters over them.
 */
import type { OrderManager } from 'order-management';
import type { Bot } from './bot.js';

export type HeartbeatStatus = ReturnType<OrderManager['status']> & { pnlQuote: string };

export function heartbeatStatus(
  orders: Pick<OrderManager, 'status'>,
  bot: Pick<Bot, 'status'>,
): HeartbeatStatus {
  const om = orders.status();
  const own = bot.status();
  return { ...om, pnlQuote: own.pnlQuote, counters: { ...om.counters, ...own.counters } };
}
