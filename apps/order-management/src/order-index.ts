/**
 * Where the manager finds its orders: the live ones by client id and by venue id, their user
 * order ids, fills that came before their order's acknowledgement, and venue ids retired by an
 * expiry refresh. Terminal orders are looked up in the journal.
 */
import type { Fill, Order } from '@drift/domain';
import type { UserOrderIdPool } from './client-ids.js';
import type { Journal } from './journal.js';
import type { ManagedOrder } from './managed-order.js';

const MAX_ORPHAN_FILLS = 1_000;

export class OrderIndex {
  private readonly live = new Map<string, ManagedOrder>();
  private readonly byOrderId = new Map<string, string>();
  /** Venue ids an order had before a refresh re-placed it (Drift's modify): their events are history. */
  private readonly replacedOrderIds = new Set<string>();
  /** Fills that arrived before their order's acknowledgement, by venue order id. */
  private readonly orphanFills = new Map<string, Fill[]>();

  constructor(
    private readonly bot: string,
    private readonly journal: Journal,
    readonly pool: UserOrderIdPool,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** The live orders themselves (callers that change them go through the state machine). */
  liveRecords(): ManagedOrder[] {
    return [...this.live.values()];
  }

  liveRecord(clientOrderId: string): ManagedOrder | undefined {
    return this.live.get(clientOrderId);
  }

  track(order: ManagedOrder): void {
    this.live.set(order.clientOrderId, order);
    this.pool.claim(order.userOrderId);
    if (order.orderId) this.byOrderId.set(order.orderId, order.clientOrderId);
  }

  untrack(order: ManagedOrder): void {
    this.live.delete(order.clientOrderId);
    if (order.orderId) this.byOrderId.delete(order.orderId);
    this.pool.release(order.userOrderId);
  }

  /** The venue acknowledged a live order under `orderId`. */
  acknowledged(order: ManagedOrder, orderId: string): void {
    this.byOrderId.set(orderId, order.clientOrderId);
  }

  /** An expiry refresh re-placed `order` under `orderId`: its previous venue id is history. */
  replaced(order: ManagedOrder, previous: string, orderId: string): void {
    this.replacedOrderIds.add(previous);
    this.byOrderId.delete(previous);
    order.orderId = orderId;
    this.byOrderId.set(orderId, order.clientOrderId);
  }

  isReplaced(orderId: string): boolean {
    return this.replacedOrderIds.has(orderId);
  }

  /** The live record, or the journal's for a terminal order. */
  current(clientOrderId: string): ManagedOrder | undefined {
    return this.live.get(clientOrderId) ?? this.journal.get(clientOrderId);
  }

  /** A copy of the order for a result, or nothing when it is unknown. */
  withOrder(clientOrderId: string): { order?: ManagedOrder } {
    const order = this.current(clientOrderId);
    return order ? { order: { ...order } } : {};
  }

  /** True when the client id is live or journaled: an intent is never sent twice. */
  isKnown(clientOrderId: string): boolean {
    return this.live.has(clientOrderId) || this.journal.get(clientOrderId) !== undefined;
  }

  findOrder(venueOrder: Order): ManagedOrder | undefined {
    const byId = this.byOrderId.get(venueOrder.orderId);
    if (byId) return this.live.get(byId);
    if (venueOrder.clientOrderId !== undefined) {
      return this.live.get(venueOrder.clientOrderId) ?? this.journal.get(venueOrder.clientOrderId);
    }
    for (const order of this.live.values()) {
      if (!order.orderId && order.userOrderId === venueOrder.userOrderId) return order;
    }
    return undefined;
  }

  findOrderOfFill(fill: Fill): ManagedOrder | undefined {
    const byId = this.byOrderId.get(fill.orderId);
    if (byId) return this.live.get(byId);
    if (fill.clientOrderId !== undefined) {
      const order = this.live.get(fill.clientOrderId) ?? this.journal.get(fill.clientOrderId);
      if (order?.bot === this.bot) return order;
    }
    const known = this.journal.getByOrderId(fill.orderId);
    return known?.bot === this.bot ? known : undefined;
  }

  /** Keeps a fill of an order not acknowledged yet (bounded). */
  keepOrphanFill(fill: Fill): void {
    const list = this.orphanFills.get(fill.orderId) ?? [];
    if (this.orphanFills.size < MAX_ORPHAN_FILLS) this.orphanFills.set(fill.orderId, [...list, fill]);
  }

  takeOrphanFills(orderId: string): Fill[] {
    const fills = this.orphanFills.get(orderId) ?? [];
    this.orphanFills.delete(orderId);
    return fills;
  }

  /** True when `venueOrder` is one of the orders whose send is not answered yet. */
  isBeingSent(venueOrder: Order, sending: Iterable<string>): boolean {
    for (const id of sending) {
      const order = this.live.get(id);
      if (order && (venueOrder.clientOrderId === id || venueOrder.userOrderId === order.userOrderId))
        return true;
    }
    return false;
  }
}
