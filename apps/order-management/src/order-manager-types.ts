/**
 * The order manager's public shapes (options, results, events, counters), apart from the class so
 * the modules it delegates to can use them without importing the coordinator.
 */
import type { Fill, OrderStatus, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { UserOrderIdRange } from './client-ids.js';
import type { Journal, JournalSync } from './journal.js';
import type { ManagedOrder, ManagerRejectReason } from './managed-order.js';
import type { RateLimitOptions } from './rate-limit.js';

export interface OrderManagerOptions {
  /** The bot's name: prefix of its client order ids, and its rows in the journal. */
  bot: string;
  venue: Venue;
  /** An open journal, or the path of its SQLite file (created if missing). */
  journal: Journal | string;
  /** `full` (default) or `normal`; only used when `journal` is a path. See journal.ts. */
  journalSync?: JournalSync;
  logger: LoggerLike;
  /** Defaults to the venue's sub-account. */
  subAccount?: number;
  /**
   * The bot's share of Drift's 1..255 user order ids on its sub-account (default: all of them).
   * Bots sharing a sub-account must use disjoint ranges.
   */
  userOrderIds?: UserOrderIdRange;
  /** Order-rate limit; `false` turns it off. Default: burst 20, 10 per second. */
  rateLimit?: RateLimitOptions | false;
  /** How long a placement may stay unconfirmed before it is reconciled (default 10 s). */
  placeTimeoutMs?: number;
  /** Cancel every open order when the trading state becomes `halted` (default true). */
  cancelOnHalt?: boolean;
  /** Signed position of the sub-account in `market` (BASE_PRECISION), for the `reducing` state. */
  positionOf?: (market: string) => Promise<bigint>;
  /**
   * Expiry of every order `place()` sends, ms ahead of venue time (Drift's `maxTs`); resting
   * orders have it refreshed while the manager runs (see order-expiry.ts). Default 60 s.
   */
  orderExpiryMs?: number;
  /**
   * Local clock (ms): the rate limit, the expiry checks and every local timestamp the manager
   * writes (orders' `createdAt`/`updatedAt`, the journal's event times when it opens the journal).
   */
  now?: () => number;
}

export type ManagedPlaceResult =
  | { ok: true; order: ManagedOrder; fills: Fill[] }
  | { ok: false; reason: ManagerRejectReason; message: string; order?: ManagedOrder };

export type OrderManagerEvent =
  /** An order changed status. */
  | { type: 'state'; order: ManagedOrder; from: OrderStatus; to: OrderStatus; reason?: string }
  /** A fill of one of the bot's orders (first time seen). */
  | { type: 'fill'; order: ManagedOrder; fill: Fill }
  /** An order refused before it reached the venue (no journal row). */
  | { type: 'refused'; clientOrderId: string; market: string; reason: ManagerRejectReason; message: string };

export interface OrderCounters {
  /** Orders journaled and sent to the venue. */
  placed: number;
  filled: number;
  cancelled: number;
  expired: number;
  /** Refusals and venue rejections, by reason. */
  rejected: Partial<Record<ManagerRejectReason, number>>;
  fills: number;
  illegalTransitions: number;
  /** Unknown venue orders cancelled by reconciliation. */
  unknownCancelled: number;
}

export interface ReconcileSummary {
  checked: number;
  /** Final status of each checked order, by client id. */
  resolved: Record<string, OrderStatus>;
  unknownCancelled: string[];
}

/** The order fields every log line about an order carries. */
export function orderFields(order: ManagedOrder) {
  return {
    clientOrderId: order.clientOrderId,
    orderId: order.orderId,
    userOrderId: order.userOrderId,
    market: order.market,
  };
}
