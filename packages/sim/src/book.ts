/**
 * A limit order book for one market: price levels with FIFO queues (price-time priority).
 * Each side keeps its levels sorted worst-to-best so the best level is the array's last element.
 */
import type { Order, PriceLevel, Side } from '@drift/domain';

/** A resting order: the engine's live Order (price is always set for resting orders). */
export type RestingOrder = Order & { price: bigint };

export const remainingOf = (order: Order): bigint => order.baseAmount - order.filledBase;

export class Level {
  readonly orders: RestingOrder[] = [];
  constructor(readonly price: bigint) {}

  total(): bigint {
    let sum = 0n;
    for (const order of this.orders) sum += remainingOf(order);
    return sum;
  }
}

export class BookSide {
  private readonly levels: Level[] = [];

  constructor(readonly side: Side) {}

  /** True when `a` is a better price than `b` for this side (higher bid, lower ask). */
  private better(a: bigint, b: bigint): boolean {
    return this.side === 'buy' ? a > b : a < b;
  }

  best(): Level | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** Index of the level at `price`, or the insertion index (as -(index + 1)) when absent. */
  private find(price: bigint): number {
    let lo = 0;
    let hi = this.levels.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.levels[mid]!.price;
      if (p === price) return mid;
      if (this.better(price, p)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -(lo + 1);
  }

  add(order: RestingOrder): void {
    const i = this.find(order.price);
    if (i >= 0) {
      this.levels[i]!.orders.push(order);
      return;
    }
    const level = new Level(order.price);
    level.orders.push(order);
    this.levels.splice(-(i + 1), 0, level);
  }

  remove(order: RestingOrder): boolean {
    const i = this.find(order.price);
    if (i < 0) return false;
    const level = this.levels[i]!;
    const at = level.orders.indexOf(order);
    if (at < 0) return false;
    level.orders.splice(at, 1);
    if (level.orders.length === 0) this.levels.splice(i, 1);
    return true;
  }

  /** Drops the best level once its queue is empty (after the matcher consumed it). */
  dropBestIfEmpty(): void {
    const best = this.best();
    if (best && best.orders.length === 0) this.levels.pop();
  }

  depth(maxLevels: number): PriceLevel[] {
    const out: PriceLevel[] = [];
    for (let i = this.levels.length - 1; i >= 0 && out.length < maxLevels; i--) {
      const level = this.levels[i]!;
      out.push({ price: level.price, baseAmount: level.total() });
    }
    return out;
  }

  /** Best level price, or undefined when empty. */
  bestPrice(): bigint | undefined {
    return this.best()?.price;
  }
}

export class OrderBook {
  readonly bids = new BookSide('buy');
  readonly asks = new BookSide('sell');

  /** The side a resting order of `side` sits on. */
  sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  /** The side an incoming order of `side` matches against. */
  opposite(side: Side): BookSide {
    return side === 'buy' ? this.asks : this.bids;
  }
}

/** True when a taker at `limit` on `side` may trade at `price`. */
export function crosses(side: Side, limit: bigint, price: bigint): boolean {
  return side === 'buy' ? price <= limit : price >= limit;
}
