/**
 * Moves each order through its states (order-states.ts says which step may follow which) from what
 * the place result, the venue's events and reconciliation report, and writes every change to the
 * journal and the index before anyone hears of it. An illegal step is refused and counted.
 */
import { type Fill, formatBase, formatPrice, maxBig, type Order, type OrderStatus } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Journal } from './journal.js';
import type { ManagedOrder } from './managed-order.js';
import type { OrderIndex } from './order-index.js';
import { type OrderManagerEvent, orderFields } from './order-manager-types.js';
import { canTransition, isTerminal, liveStatusFor } from './order-states.js';
import type { OrderTally } from './order-tally.js';
import type { OrderResolution } from './reconcile.js';

export interface OrderStateMachineOptions {
  journal: Journal;
  index: OrderIndex;
  tally: OrderTally;
  log: LoggerLike;
  /** Local clock (ms) for `updatedAt`. */
  now: () => number;
  emit: (event: OrderManagerEvent) => void;
  /** The venue has open an order already given up on (expired or rejected): it must not trade. */
  onLateOrder: (order: ManagedOrder, venueOrder: Order) => void;
}

type Changes = { filledBase?: bigint; orderId?: string; reason?: string };

export class OrderStateMachine {
  constructor(private readonly opts: OrderStateMachineOptions) {}

  /** Moves `order` to `to` if the state machine allows it; refuses and logs otherwise. */
  transition(order: ManagedOrder, to: OrderStatus, kind: string, changes: Changes = {}): boolean {
    const { journal, tally, log } = this.opts;
    const from = order.status;
    if (to === from) {
      if (isTerminal(from)) return true;
      const grew = changes.filledBase !== undefined && changes.filledBase > order.filledBase;
      if (grew || (changes.orderId && !order.orderId)) this.update(order, kind, changes);
      return true;
    }
    if (!canTransition(from, to)) {
      tally.counts.illegalTransitions += 1;
      journal.recordEvent(order.clientOrderId, 'illegal-transition', from, `${from} -> ${to} (${kind})`);
      log.warn({ ...orderFields(order), from, to, source: kind }, 'illegal order transition refused');
      return false;
    }
    this.update(order, kind, { ...changes, status: to });
    if (to === 'filled') tally.counts.filled += 1;
    if (to === 'cancelled') tally.counts.cancelled += 1;
    if (to === 'expired') tally.counts.expired += 1;
    const level = to === 'rejected' || to === 'expired' ? 'warn' : 'info';
    log[level]({ ...orderFields(order), from, to, reason: order.reason }, `order ${to}`);
    this.opts.emit({
      type: 'state',
      order: { ...order },
      from,
      to,
      ...(order.reason ? { reason: order.reason } : {}),
    });
    return true;
  }

  /** A fill of one of the bot's orders: journaled once, counted, and the order's status follows. */
  applyFill(fill: Fill): void {
    const { journal, index, tally } = this.opts;
    const order = index.findOrderOfFill(fill);
    if (!order) {
      index.keepOrphanFill(fill);
      return;
    }
    if (!journal.recordFill(order.clientOrderId, fill)) return; // already journaled
    tally.countFill(fill.fee);
    const fillSum = journal.fillsFor(order).reduce((sum, f) => sum + f.baseAmount, 0n);
    const filledBase = maxBig(fillSum, order.filledBase);
    const changes = { filledBase, orderId: order.orderId ?? fill.orderId };
    if (isTerminal(order.status)) {
      if (filledBase > order.filledBase) this.update(order, 'late-fill', changes);
    } else {
      this.transition(order, liveStatusFor(filledBase, order.baseAmount), 'fill', changes);
    }
    const fields = {
      ...orderFields(order),
      fillId: fill.fillId,
      // Human units in the log (the journal keeps the fixed-point integers).
      price: formatPrice(fill.price),
      baseAmount: formatBase(fill.baseAmount),
    };
    this.opts.log.info(fields, 'order fill');
    this.opts.emit({ type: 'fill', order: { ...(index.current(order.clientOrderId) ?? order) }, fill });
  }

  /** Brings an order to what the venue reports, if that is a legal step forward. */
  applyVenueOrder(order: ManagedOrder, venueOrder: Order, kind: string): void {
    const filledBase = maxBig(venueOrder.filledBase, order.filledBase);
    const venueLive = !isTerminal(venueOrder.status);
    const to = venueLive ? liveStatusFor(filledBase, order.baseAmount) : venueOrder.status;
    // Why the venue ended it: past its maxTs, or the program's own reason (a reduce-only order it
    // cancelled at fill time).
    const reason = venueLive ? undefined : (expiryReason(venueOrder) ?? venueOrder.reason);
    if (isTerminal(order.status) && venueLive) {
      if (order.status === 'expired' || order.status === 'rejected') {
        this.opts.onLateOrder(order, venueOrder);
      } else {
        this.opts.log.debug(
          { ...orderFields(order), venueStatus: venueOrder.status },
          'stale venue snapshot ignored',
        );
      }
      return;
    }
    this.transition(order, to, kind, {
      filledBase,
      orderId: order.orderId ?? venueOrder.orderId,
      ...(reason !== undefined && { reason }),
    });
  }

  /** Settles an order as reconciliation decided; returns its status after. */
  applyResolution(resolution: OrderResolution): OrderStatus {
    const { index } = this.opts;
    for (const fill of resolution.fills) this.applyFill(fill);
    const order = index.current(resolution.clientOrderId);
    if (!order) return resolution.status;
    if (!isTerminal(order.status)) {
      this.transition(order, resolution.status, 'reconcile', {
        filledBase: resolution.filledBase,
        ...(resolution.orderId === undefined ? {} : { orderId: resolution.orderId }),
        ...(isTerminal(resolution.status) ? { reason: resolution.reason } : {}),
      });
    }
    return index.current(resolution.clientOrderId)?.status ?? resolution.status;
  }

  /** Journals a refreshed expiry; on Drift the refresh re-placed the order under a new venue id. */
  applyExpiryRefresh(order: ManagedOrder, venueOrder: Order): void {
    const { journal, index } = this.opts;
    const current = index.liveRecord(order.clientOrderId);
    if (!current) return;
    const detail = `maxTs ${new Date(venueOrder.maxTs ?? 0).toISOString()}`;
    const previous = current.orderId;
    if (previous === undefined || previous === venueOrder.orderId) {
      journal.recordEvent(current.clientOrderId, 'expiry-refreshed', current.status, detail);
      return;
    }
    index.replaced(current, previous, venueOrder.orderId);
    current.updatedAt = this.opts.now();
    journal.recordUpdate(
      current,
      'expiry-refreshed',
      `${detail}; order id ${previous} -> ${venueOrder.orderId}`,
    );
  }

  /** Writes changed fields to the journal and the in-memory indexes. */
  private update(order: ManagedOrder, kind: string, changes: Changes & { status?: OrderStatus }): void {
    const { journal, index } = this.opts;
    if (changes.status !== undefined) order.status = changes.status;
    if (changes.filledBase !== undefined && changes.filledBase > order.filledBase)
      order.filledBase = changes.filledBase;
    if (changes.reason !== undefined) order.reason = changes.reason;
    const acked = changes.orderId !== undefined && order.orderId === undefined;
    if (acked) order.orderId = changes.orderId;
    order.updatedAt = this.opts.now();
    journal.recordUpdate(order, kind, changes.reason);
    if (isTerminal(order.status)) {
      index.untrack(order);
    } else if (acked && order.orderId) {
      index.acknowledged(order, order.orderId);
      for (const fill of index.takeOrphanFills(order.orderId)) this.applyFill(fill);
    }
  }
}

/** Why the venue expired an order past its maxTs, in the venue's reject vocabulary (`order-expired`). */
function expiryReason(venueOrder: Order): string | undefined {
  if (venueOrder.status !== 'expired' || venueOrder.maxTs === undefined) return undefined;
  if (venueOrder.updatedAt <= venueOrder.maxTs) return undefined;
  return `order-expired: past its maxTs ${new Date(venueOrder.maxTs).toISOString()}, never filled after it`;
}
