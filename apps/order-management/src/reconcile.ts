/**
 * Reconciliation: what the journal believes against what the venue has. A pure planner, so
 * every mismatch is decided in one place and tested without I/O. The manager applies the plan.
 *
 * Decisions:
 * - venue has the order open -> take its status and filled size (acknowledging an intent);
 * - venue does not have it open -> filled if its fills cover the size; cancelled if the venue
 *   ever knew it (acked or has fills); expired if it is an intent the venue never saw.
 *   An intent is never re-sent: the bot decides again with fresh data. An order whose outcome the
 *   venue could not read (`outcome-unknown`) is not expired on absence: it stays `new` (live,
 *   counted by the risk checks) until the venue shows it open, filled or cancelled. Nor is an
 *   order the venue said left its book with an unreadable outcome cancelled on absence: it may
 *   have filled, so it stays live until the venue shows its fills or its end.
 * - venue has an open order in this bot's user-order-id range that matches no live journal
 *   order -> cancel it. Without an intent the bot cannot account for it, and adopting a stale
 *   decision would let it trade on a market that has moved.
 */
import { type Fill, maxBig, type Order, type OrderStatus } from '@drift/domain';
import type { ManagedOrder } from './managed-order.js';
import { liveStatusFor } from './order-states.js';

export interface ReconcileInput {
  /** The journal's live orders (status new, open or partially-filled). */
  live: readonly ManagedOrder[];
  /** The venue's open orders of this sub-account. */
  openOrders: readonly Order[];
  /** The venue's fills of this sub-account since the oldest live order. */
  fills: readonly Fill[];
  subAccount: number;
  /** True for a venue order id in this bot's user-order-id range. */
  ownsUserOrderId: (userOrderId: number | undefined) => boolean;
  /**
   * True for an order whose transaction may have landed though the venue could not say what it
   * did (`outcome-unknown`): not seen at the venue yet is not proof it never was, so it stays `new`.
   */
  outcomeUnknown?: (clientOrderId: string) => boolean;
  /**
   * True for an order the venue said left its book with an outcome it could not read (an order
   * event with `reason: 'outcome-unknown'`): it may have filled, so absence is not a cancel.
   */
  endUnknown?: (clientOrderId: string) => boolean;
}

export interface OrderResolution {
  clientOrderId: string;
  orderId?: string;
  status: OrderStatus;
  filledBase: bigint;
  /** Fills of this order the venue reported (the journal ignores ones it already has). */
  fills: Fill[];
  reason: string;
}

export interface ReconcilePlan {
  resolutions: OrderResolution[];
  /** Open venue orders this bot owns but the journal does not know: to cancel. */
  unknown: Order[];
}

function matchOpenOrder(order: ManagedOrder, open: readonly Order[]): Order | undefined {
  return open.find((v) => {
    if (v.subAccount !== order.subAccount) return false;
    if (order.orderId !== undefined) return v.orderId === order.orderId;
    if (v.clientOrderId !== undefined) return v.clientOrderId === order.clientOrderId;
    return v.userOrderId === order.userOrderId;
  });
}

export function planReconciliation(input: ReconcileInput): ReconcilePlan {
  const matched = new Set<Order>();
  const resolutions = input.live.map((order): OrderResolution => {
    const venueOrder = matchOpenOrder(order, input.openOrders);
    if (venueOrder) matched.add(venueOrder);
    const orderId = order.orderId ?? venueOrder?.orderId;
    const fills = input.fills.filter(
      (f) => (orderId !== undefined && f.orderId === orderId) || f.clientOrderId === order.clientOrderId,
    );
    const fillSum = fills.reduce((sum, f) => sum + f.baseAmount, 0n);
    const filledBase = maxBig(maxBig(order.filledBase, fillSum), venueOrder?.filledBase ?? 0n);
    const knownOrderId = orderId ?? fills[0]?.orderId;
    const base = {
      clientOrderId: order.clientOrderId,
      ...(knownOrderId === undefined ? {} : { orderId: knownOrderId }),
      filledBase,
      fills,
    };
    if (venueOrder) {
      return { ...base, status: liveStatusFor(filledBase, order.baseAmount), reason: 'open at venue' };
    }
    if (filledBase >= order.baseAmount) {
      return { ...base, status: 'filled', reason: 'filled at venue' };
    }
    if (input.endUnknown?.(order.clientOrderId)) {
      return {
        ...base,
        status: order.status === 'new' ? 'new' : liveStatusFor(filledBase, order.baseAmount),
        reason: 'left the venue with an unreadable outcome: kept until the venue shows its fills or end',
      };
    }
    if (knownOrderId !== undefined || filledBase > 0n) {
      return { ...base, status: 'cancelled', reason: 'no longer open at venue' };
    }
    if (input.outcomeUnknown?.(order.clientOrderId)) {
      return { ...base, status: 'new', reason: 'outcome unknown: kept until the venue shows it' };
    }
    return {
      ...base,
      status: 'expired',
      reason: 'intent never acknowledged and unknown to the venue; not re-sent',
    };
  });
  const unknown = input.openOrders.filter(
    (v) => !matched.has(v) && v.subAccount === input.subAccount && input.ownsUserOrderId(v.userOrderId),
  );
  return { resolutions, unknown };
}
