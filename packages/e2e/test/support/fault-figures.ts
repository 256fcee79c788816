/**
 * Figures of two faults read from the simulator's own history (not the bots' view): the risk
 * manager crash-looping (did any bot add risk once the fail-closed bound had passed?) and a second
 * instance of a bot (did anything reach the venue from it?).
 */
import type { WireEntry } from './fleet-api.js';

/** The order fields of a history entry this file reads, beside `WireEntry`'s (bigints as strings). */
interface WireOrderTerms {
  side?: 'buy' | 'sell';
  baseAmount?: string;
  reduceOnly?: boolean;
}

const abs = (n: bigint) => (n < 0n ? -n : n);

/**
 * Orders a bot sub-account got accepted in `(from, to]` (venue ms) that could add risk: not
 * reduce-only, and not an opposite-side order no bigger than the position it faces (the JIT
 * maker's fills are plain IOC orders, so "not reduce-only" alone would count its reducing fills);
 * and position changes that grew a bot's exposure in the window. Positions are replayed from the
 * history's `position` entries, so each order is judged on the position it met.
 */
export function riskAddedInWindow(
  history: readonly WireEntry[],
  botSubAccounts: ReadonlySet<number>,
  from: number,
  to: number,
): { ordersInWindow: number; riskAddingOrders: string[]; positionGrowths: string[] } {
  const positions = new Map<string, bigint>();
  const riskAddingOrders: string[] = [];
  const positionGrowths: string[] = [];
  let ordersInWindow = 0;
  for (const e of history) {
    const inWindow = e.ts > from && e.ts <= to;
    if (e.kind === 'position' && e.subAccount !== undefined && e.market !== undefined) {
      const before = BigInt(e.before ?? '0');
      const after = BigInt(e.after ?? '0');
      positions.set(`${e.subAccount}:${e.market}`, after);
      if (inWindow && botSubAccounts.has(e.subAccount) && abs(after) > abs(before))
        positionGrowths.push(`sub ${e.subAccount} ${e.market} ${before} -> ${after} (seq ${e.seq})`);
      continue;
    }
    const order = e.order as (WireEntry['order'] & WireOrderTerms) | undefined;
    if (e.kind !== 'order-accepted' || !order || !inWindow || !botSubAccounts.has(order.subAccount)) continue;
    ordersInWindow++;
    if (order.reduceOnly) continue; // the venue caps a reduce-only order's fills at the position
    const position = positions.get(`${order.subAccount}:${order.market}`) ?? 0n;
    const facing = (order.side === 'buy' && position < 0n) || (order.side === 'sell' && position > 0n);
    if (facing && BigInt(order.baseAmount ?? '0') <= abs(position)) continue;
    riskAddingOrders.push(
      `sub ${order.subAccount} ${order.side} ${order.baseAmount} ${order.market} at position ${position} (${order.clientOrderId ?? order.orderId}, seq ${e.seq})`,
    );
  }
  return { ordersInWindow, riskAddingOrders, positionGrowths };
}

/** A journal's view of an order, as far as the intruder check needs it. */
export interface JournaledOrder {
  clientOrderId: string;
  orderId?: string;
  status: string;
  reason?: string;
}

/**
 * What reached the venue on `subAccount` in `(from, to]` (venue ms) that the first instance's
 * journal does not account for: orders it never journaled (placed by someone else), and cancels it
 * never requested itself (its journal says why an order ended: `cancel requested` for its own).
 */
export function foreignVenueActivity(
  history: readonly WireEntry[],
  subAccount: number,
  from: number,
  to: number,
  journal: readonly JournaledOrder[],
): { ordersInWindow: number; foreignOrders: string[]; foreignCancels: string[] } {
  const byId = new Map<string, JournaledOrder>();
  for (const o of journal) {
    byId.set(o.clientOrderId, o);
    if (o.orderId) byId.set(o.orderId, o);
  }
  const known = (order: NonNullable<WireEntry['order']>) =>
    (order.clientOrderId && byId.get(order.clientOrderId)) || byId.get(order.orderId);
  const foreignOrders: string[] = [];
  const foreignCancels: string[] = [];
  let ordersInWindow = 0;
  for (const e of history) {
    const order = e.order;
    if (!order || order.subAccount !== subAccount || e.ts <= from || e.ts > to) continue;
    if (e.kind === 'order-accepted') {
      ordersInWindow++;
      if (!known(order)) foreignOrders.push(`${order.clientOrderId ?? order.orderId} (seq ${e.seq})`);
    }
    const cause = (e as { cause?: string }).cause;
    if (e.kind === 'order-updated' && cause === 'cancel') {
      const mine = known(order);
      if (mine?.reason !== 'cancel requested')
        foreignCancels.push(
          `${order.clientOrderId ?? order.orderId} (seq ${e.seq}, journal: ${mine?.status})`,
        );
    }
  }
  return { ordersInWindow, foreignOrders, foreignCancels };
}
