import type { OrderStatus, OrderType, RejectReason, Side } from '@drift/domain';

/** One order as the bot sees it: its intent, where the venue has it, and its state. */
export interface ManagedOrder {
  /** Unique per bot, forever; the bot's handle on the order. */
  clientOrderId: string;
  /** Drift's 1..255 id carrying the client id on-chain; unique among the bot's live orders. */
  userOrderId: number;
  /** The venue's id, once the venue acknowledged the order. */
  orderId?: string;
  bot: string;
  subAccount: number;
  market: string;
  side: Side;
  type: OrderType;
  baseAmount: bigint;
  price?: bigint;
  postOnly: boolean;
  reduceOnly: boolean;
  ioc: boolean;
  status: OrderStatus;
  filledBase: bigint;
  /** Why it ended (rejection, expiry, reconciliation), when it did. */
  reason?: string;
  /** Venue time known to be at or before the order's placement: where fill replay starts. */
  sinceVenueTs: number;
  /** Local time, ms. */
  createdAt: number;
  updatedAt: number;
}

/** Why order-management refused an order itself, beside the venue's reasons. */
export type ManagerRejectReason =
  | RejectReason
  /** Every user order id of the bot's range is held by a live order. */
  | 'user-order-ids-exhausted'
  /** The venue did not confirm the placement and does not have the order: given up, not re-sent. */
  | 'unconfirmed'
  /** The request itself is malformed (e.g. another sub-account). */
  | 'invalid-request'
  /** The intent could not be journaled, so the order was not sent. */
  | 'journal-error';
