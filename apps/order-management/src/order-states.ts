/**
 * The order state machine: which status may follow which. Fills only ever add, so an order
 * never goes back to `open` once partially filled, and a terminal status is final.
 */
import type { OrderStatus } from '@drift/domain';

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['open', 'partially-filled', 'filled', 'cancelled', 'rejected', 'expired'],
  open: ['partially-filled', 'filled', 'cancelled', 'expired'],
  'partially-filled': ['filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** True when `to` may follow `from` (staying in the same status is an update, not a transition). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The status an order has with `filledBase` of `baseAmount` filled while the venue keeps it live. */
export function liveStatusFor(filledBase: bigint, baseAmount: bigint): OrderStatus {
  if (filledBase >= baseAmount) return 'filled';
  return filledBase > 0n ? 'partially-filled' : 'open';
}
