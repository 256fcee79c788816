/**
 * Entry signals for the trend rule: on each closed candle, the side a fresh trend calls for
 * (1 long, -1 short) or 0. Both read closes only through their own state.
 */
import { type Candle, Ema } from './indicators.js';

export type SignalSpec =
  | { type: 'ema-cross'; fastPeriod: number; slowPeriod: number }
  | { type: 'donchian'; period: number };

export interface EntrySignal {
  /** Candles needed before the signal may trigger. */
  readonly warmup: number;
  update(c: Candle): -1 | 0 | 1;
}

/** Fast EMA crossing the slow one; EMAs are seeded equal, so the first divergence counts as a cross. */
export class EmaCross implements EntrySignal {
  private readonly fast: Ema;
  private readonly slow: Ema;
  private lastSign = 0;
  readonly warmup: number;

  constructor(fastPeriod: number, slowPeriod: number) {
    if (fastPeriod >= slowPeriod) throw new RangeError('fastPeriod must be below slowPeriod');
    this.fast = new Ema(fastPeriod);
    this.slow = new Ema(slowPeriod);
    this.warmup = slowPeriod;
  }

  update(c: Candle): -1 | 0 | 1 {
    const fast = this.fast.update(c.close);
    const slow = this.slow.update(c.close);
    const sign = fast > slow ? 1 : fast < slow ? -1 : 0;
    const crossed = sign !== 0 && sign !== this.lastSign;
    if (sign !== 0) this.lastSign = sign;
    return crossed ? sign : 0;
  }
}

/** Close above the highest high (below the lowest low) of the `period` candles before it. */
export class DonchianBreakout implements EntrySignal {
  private readonly window: Candle[] = [];
  readonly warmup: number;

  constructor(private readonly period: number) {
    if (period < 1) throw new RangeError('period must be at least 1');
    this.warmup = period + 1;
  }

  update(c: Candle): -1 | 0 | 1 {
    let side: -1 | 0 | 1 = 0;
    if (this.window.length === this.period) {
      let high = this.window[0]!.high;
      let low = this.window[0]!.low;
      for (const w of this.window) {
        if (w.high > high) high = w.high;
        if (w.low < low) low = w.low;
      }
      side = c.close > high ? 1 : c.close < low ? -1 : 0;
      this.window.shift();
    }
    this.window.push(c);
    return side;
  }
}

export function entrySignal(spec: SignalSpec): EntrySignal {
  return spec.type === 'ema-cross'
    ? new EmaCross(spec.fastPeriod, spec.slowPeriod)
    : new DonchianBreakout(spec.period);
}
