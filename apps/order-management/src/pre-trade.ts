/**
 * Pre-trade checks: functions every order passes before it is journaled and sent. The risk
 * manager's limits plug in here (see `riskLimitsCheck`), so a bot and the risk manager evaluate
 * the same limits with the same code.
 */
import type { OrderRequest, TradingStateName } from '@drift/core';
import type { ManagedOrder } from './managed-order.js';

export interface PreTradeContext {
  bot: string;
  subAccount: number;
  /** The order as it will be sent (sub-account set). */
  request: Readonly<OrderRequest>;
  tradingState: TradingStateName;
  /** The bot's live orders (including ones not yet acknowledged). */
  liveOrders: readonly ManagedOrder[];
}

export type PreTradeVerdict =
  | { ok: true }
  | {
      ok: false;
      /** Defaults to `risk-limit`. */
      reason?: 'risk-limit' | 'halted';
      /** Human reason, logged and returned to the bot. */
      message: string;
    };

export type PreTradeCheck = (context: PreTradeContext) => PreTradeVerdict | Promise<PreTradeVerdict>;

/**
 * True when `request` can only shrink the signed `position` (BASE_PRECISION) of its market:
 * flagged reduce-only, or on the opposite side and no larger than the position.
 */
export function reducesExposure(
  request: Pick<OrderRequest, 'side' | 'baseAmount' | 'reduceOnly'>,
  position: bigint,
): boolean {
  if (request.reduceOnly) return true;
  if (position === 0n) return false;
  const opposite = position > 0n ? request.side === 'sell' : request.side === 'buy';
  const size = position > 0n ? position : -position;
  return opposite && request.baseAmount <= size;
}
