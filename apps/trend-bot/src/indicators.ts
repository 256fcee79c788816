/** Candles and the two indicators the trend rule uses, in integer price units (PRICE_PRECISION). */
import { absBig, divRound, maxBig } from '@drift/domain';

export interface Candle {
  /** Bucket start, ms. */
  start: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
}

/** Buckets a price stream into fixed-timeframe candles; a candle closes when a later bucket starts. */
export class CandleBuilder {
  private current?: Candle;

  constructor(private readonly timeframeMs: number) {}

  /** Adds a price; returns the candle that this price closed, if any. */
  push(ts: number, price: bigint): Candle | undefined {
    const start = ts - (ts % this.timeframeMs);
    const open = this.current;
    if (open && open.start === start) {
      if (price > open.high) open.high = price;
      if (price < open.low) open.low = price;
      open.close = price;
      return undefined;
    }
    this.current = { start, open: price, high: price, low: price, close: price };
    return open;
  }
}

/** Exponential moving average, alpha = 2 / (period + 1), seeded with the first value. */
export class Ema {
  value?: bigint;

  constructor(readonly period: number) {}

  update(v: bigint): bigint {
    this.value =
      this.value === undefined
        ? v
        : this.value + divRound((v - this.value) * 2n, BigInt(this.period + 1), 'half-even');
    return this.value;
  }
}

/** Average true range with Wilder's smoothing; undefined until `period` candles were seen. */
export class Atr {
  value?: bigint;
  private prevClose?: bigint;
  private seen = 0;
  private sum = 0n;

  constructor(readonly period: number) {}

  update(c: Candle): bigint | undefined {
    const tr =
      this.prevClose === undefined
        ? c.high - c.low
        : maxBig(c.high - c.low, maxBig(absBig(c.high - this.prevClose), absBig(c.low - this.prevClose)));
    this.prevClose = c.close;
    this.seen++;
    if (this.seen < this.period) {
      this.sum += tr;
      return undefined;
    }
    if (this.seen === this.period) {
      this.value = divRound(this.sum + tr, BigInt(this.period), 'half-even');
    } else {
      this.value = divRound(this.value! * BigInt(this.period - 1) + tr, BigInt(this.period), 'half-even');
    }
    return this.value;
  }
}
