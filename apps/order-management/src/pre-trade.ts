/**
 * Pre-trade checks: functions every order passes before it is journaled and sent. The risk
 * manager's limits plug in here (see `riskLimitsCheck`), so a bot and the risk manager evaluate
 * the same limits with the same code.
 */
import type { OrderRequest, TradingStateName } from '@drift/domain';
import type { ManagedOrder, ManagerRejectReason } from './managed-order.js';

export interface PreTradeContext {
  bot: string;
  subAccount: number;
  /** The order as it will be sent (sub-account set). */
  request: Readonly<OrderRequest>;
  tradingState: TradingStateName;
  /** The bot's live orders (including ones not yet acknowledged). */
  liveOrders: readonly ManagedOrder[];
  /** Orders this manager sent to the venue in the last 60 s. */
  ordersLastMinute: number;
}

export type PreTradeVerdict =
  | { ok: true }
  | {
      ok: false;
      /** Defaults to `risk-limit`. */
      reason?: ManagerRejectReason;
      /** Human reason, logged and returned to the bot. */
      message: string;
    };

export type PreTradeCheck = (context: PreTradeContext) => PreTradeVerdict | Promise<PreTradeVerdict>;
