/**
 * The engine's record of everything that happened, in order: what an end-to-end test replays to
 * check that limits held and no order was duplicated. Entries are snapshots (never mutated).
 */
import type { Fill, Order, OrderRequest, RejectReason, TakerOrder } from '@drift/domain';
import { snapshotOrder } from './order-snapshot.js';

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
    /** A rival maker's fill of an auction (see competition.ts); `taker` is the taker order's uuid. */
    | {
        kind: 'rival-fill';
        market: string;
        taker: string;
        rival: string;
        price: bigint;
        baseAmount: bigint;
        landSlot: number;
      }
    | { kind: 'halt'; reason: string }
    | { kind: 'resume' }
  );

export type HistoryKind = HistoryEntry['kind'];

/** JSON with bigints as decimal strings: byte-comparable across runs. */
export function serializeHistory(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(entries, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UnstampedEntry = DistributiveOmit<HistoryEntry, 'seq' | 'ts' | 'slot'>;
type OrderCause = 'fill' | 'cancel' | 'expire' | 'modify';

// Record layouts in the flat log (tag, slot, then the fields).
const ORDER = 0; // order (live object), cause | undefined, baseAmount, price, status, filledBase
const FILL = 1; // fill, counterparty
const POSITION = 2; // subAccount, market, before, after, realized
const OTHER = 3; // a ready entry without its stamp
const CHUNK = 8192;

/**
 * The history as a flat append-only array of values, turned into entries only when read: the hot
 * path keeps no per-event objects alive (the GC cost of a million snapshots is what limited the
 * engine), yet every entry can be rebuilt exactly. An order's fixed fields are read from the live
 * order; its changing ones (size, price, status, filled) are logged with each record. `ts` is
 * derived from the slot (ts = startTs + slot * slotMs, the engine's clock).
 */
export class HistoryLog {
  /** Fixed-size chunks: one growing array would be re-copied and re-scanned as it grows. */
  private readonly chunks: unknown[][] = [[]];
  private current: unknown[] = this.chunks[0]!;
  private readonly built: HistoryEntry[] = [];
  private builtChunk = 0;
  private builtOffset = 0;

  constructor(
    private readonly startTs: number,
    private readonly slotMs: number,
    private readonly enabled: boolean,
  ) {}

  /** `cause` undefined: the order was accepted; otherwise it changed. */
  order(slot: number, order: Order, cause: OrderCause | undefined): void {
    if (this.enabled)
      this.room(9).push(
        ORDER,
        slot,
        order,
        cause,
        order.baseAmount,
        order.price,
        order.status,
        order.filledBase,
        order.maxTs,
      );
  }

  fill(slot: number, fill: Fill, counterparty: number | string): void {
    if (this.enabled) this.room(4).push(FILL, slot, fill, counterparty);
  }

  position(
    slot: number,
    subAccount: number,
    market: string,
    change: { before: bigint; after: bigint; realized: bigint },
  ): void {
    if (this.enabled)
      this.room(7).push(POSITION, slot, subAccount, market, change.before, change.after, change.realized);
  }

  other(slot: number, entry: UnstampedEntry): void {
    if (this.enabled) this.room(3).push(OTHER, slot, entry);
  }

  /** The chunk to append a record of `size` values to (records never straddle chunks). */
  private room(size: number): unknown[] {
    if (this.current.length + size > CHUNK) {
      this.current = [];
      this.chunks.push(this.current);
    }
    return this.current;
  }

  /** Entries after `afterSeq` (exclusive), oldest first. */
  entries(afterSeq = 0): readonly HistoryEntry[] {
    this.build();
    return afterSeq <= 0 ? this.built : this.built.slice(afterSeq);
  }

  private build(): void {
    for (; this.builtChunk < this.chunks.length; this.builtChunk++, this.builtOffset = 0) {
      const chunk = this.chunks[this.builtChunk]!;
      this.builtOffset = this.buildChunk(chunk, this.builtOffset);
      if (chunk === this.current) return;
    }
  }

  /** Builds the entries of `log` from index `i`; returns where it stopped (the chunk's end). */
  private buildChunk(log: unknown[], from: number): number {
    let i = from;
    while (i < log.length) {
      const tag = log[i] as number;
      const slot = log[i + 1] as number;
      const stamp = { seq: this.built.length + 1, ts: this.startTs + slot * this.slotMs, slot };
      switch (tag) {
        case ORDER: {
          const order = snapshotOrder(log[i + 2] as Order);
          const cause = log[i + 3] as OrderCause | undefined;
          order.baseAmount = log[i + 4] as bigint;
          const price = log[i + 5] as bigint | undefined;
          if (price === undefined) delete order.price;
          else order.price = price;
          order.status = log[i + 6] as Order['status'];
          order.filledBase = log[i + 7] as bigint;
          const maxTs = log[i + 8] as number | undefined;
          if (maxTs === undefined) delete order.maxTs;
          else order.maxTs = maxTs;
          order.updatedAt = cause === undefined ? order.createdAt : stamp.ts;
          this.built.push(
            cause === undefined
              ? { ...stamp, kind: 'order-accepted', order }
              : { ...stamp, kind: 'order-updated', order, cause },
          );
          i += 9;
          break;
        }
        case FILL:
          this.built.push({
            ...stamp,
            kind: 'fill',
            fill: log[i + 2] as Fill,
            counterparty: log[i + 3] as number | string,
          });
          i += 4;
          break;
        case POSITION:
          this.built.push({
            ...stamp,
            kind: 'position',
            subAccount: log[i + 2] as number,
            market: log[i + 3] as string,
            before: log[i + 4] as bigint,
            after: log[i + 5] as bigint,
            realized: log[i + 6] as bigint,
          });
          i += 7;
          break;
        default:
          this.built.push({ ...stamp, ...(log[i + 2] as UnstampedEntry) } as HistoryEntry);
          i += 3;
      }
    }
    return i;
  }
}
