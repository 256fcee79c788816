/**
 * The engine's record of everything that happened, in order: what an end-to-end test replays to
 * check that limits held and no order was duplicated. Entries are snapshots (never mutated).
 */
import type { Fill, Order, OrderRequest, RejectReason, TakerOrder } from '@drift/core';

interface Stamp {
  /** Position in the history, from 1. */
  seq: number;
  ts: number;
  slot: number;
}

export type HistoryEntry = Stamp &
  (
    | { kind: 'order-accepted'; order: Order }
    | {
        kind: 'order-rejected';
        subAccount: number;
        request: OrderRequest;
        reason: RejectReason;
        message: string;
      }
    /** Any later change of an order: partial fill, filled, cancelled, expired, modified. */
    | { kind: 'order-updated'; order: Order; cause: 'fill' | 'cancel' | 'expire' | 'modify' }
    /** One side of a match; `counterparty` is a sub-account, a stream taker's key, or the backstop. */
    | { kind: 'fill'; fill: Fill; counterparty: number | string }
    | {
        kind: 'position';
        subAccount: number;
        market: string;
        before: bigint;
        after: bigint;
        /** Trading PnL realized by this change (before fees). */
        realized: bigint;
      }
    | { kind: 'funding'; subAccount: number; market: string; ratePpb: bigint; amount: bigint }
    | { kind: 'taker-order'; order: Omit<TakerOrder, 'message' | 'signature' | 'receivedAt'> }
    | { kind: 'halt'; reason: string }
    | { kind: 'resume' }
  );

export type HistoryKind = HistoryEntry['kind'];

/** JSON with bigints as decimal strings: byte-comparable across runs. */
export function serializeHistory(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(entries, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}
