/**
 * What the manager counts for the bot's heartbeat: orders by outcome, refusals by reason, fills
 * and the fees paid and received on them.
 */
import { formatQuote } from '@drift/domain';
import type { ManagerRejectReason } from './managed-order.js';
import type { OrderCounters } from './order-manager-types.js';

/** The heartbeat fields of @drift/runtime's `AppStatus` an order manager fills in. */
export interface OrderStatusReport {
  openOrders: number;
  fills: number;
  ordersPlaced: number;
  feesPaidQuote: string;
  feesReceivedQuote: string;
  counters: Record<string, number>;
}

export class OrderTally {
  readonly counts: OrderCounters = {
    placed: 0,
    filled: 0,
    cancelled: 0,
    expired: 0,
    rejected: {},
    fills: 0,
    illegalTransitions: 0,
    unknownCancelled: 0,
  };
  /** Fees on this bot's fills since start: paid (> 0 fees) and received (rebates), QUOTE_PRECISION. */
  private feesPaid = 0n;
  private feesReceived = 0n;

  countRejected(reason: ManagerRejectReason): void {
    this.counts.rejected[reason] = (this.counts.rejected[reason] ?? 0) + 1;
  }

  countFill(fee: bigint): void {
    this.counts.fills += 1;
    if (fee >= 0n) this.feesPaid += fee;
    else this.feesReceived -= fee;
  }

  snapshot(): OrderCounters {
    return { ...this.counts, rejected: { ...this.counts.rejected } };
  }

  report(openOrders: number): OrderStatusReport {
    const c = this.counts;
    const counters: Record<string, number> = {
      // Orders the venue or the checks refused: attempts lost, by reason in `rejected.<reason>`.
      ordersLost: Object.values(c.rejected).reduce((sum, n) => sum + (n ?? 0), 0),
      ordersFilled: c.filled,
      ordersCancelled: c.cancelled,
      ordersExpired: c.expired,
      illegalTransitions: c.illegalTransitions,
      unknownOrdersCancelled: c.unknownCancelled,
    };
    for (const [reason, n] of Object.entries(c.rejected)) counters[`rejected.${reason}`] = n ?? 0;
    return {
      openOrders,
      fills: c.fills,
      ordersPlaced: c.placed,
      feesPaidQuote: formatQuote(this.feesPaid),
      feesReceivedQuote: formatQuote(this.feesReceived),
      counters,
    };
  }
}
