import { findMarket, parseBase, parsePrice, parseQuote } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { CRAFTED_CLOSES } from '../test/crafted-path.js';
import { Atr, type Candle, CandleBuilder, Ema } from './indicators.js';
import { type TrendParams, TrendRule } from './rule.js';

const SOL = findMarket('SOL-PERP')!;
const params: TrendParams = {
  signal: { type: 'ema-cross', fastPeriod: 3, slowPeriod: 6 },
  atrPeriod: 3,
  stopAtrTenths: 20,
  riskQuote: parseQuote('100'),
  maxPositionBase: parseBase('100'),
};

/** One candle per close price, with a fixed 1.00 range around it. */
function candles(closes: readonly string[]): Candle[] {
  return closes.map((c, i) => {
    const close = parsePrice(c);
    return {
      start: i * 60_000,
      open: close,
      high: close + parsePrice('0.5'),
      low: close - parsePrice('0.5'),
      close,
    };
  });
}

describe('indicators', () => {
  it('builds candles from a price stream, closing one when the next bucket starts', () => {
    const b = new CandleBuilder(60_000);
    expect(b.push(1_000, 10n)).toBeUndefined();
    b.push(2_000, 12n);
    b.push(3_000, 9n);
    expect(b.push(61_000, 11n)).toEqual({ start: 0, open: 10n, high: 12n, low: 9n, close: 9n });
  });

  it('EMA and ATR match hand-computed values', () => {
    const ema = new Ema(3); // alpha 1/2
    expect([10n, 20n, 30n].map((v) => ema.update(v))).toEqual([10n, 15n, 23n]);
    const atr = new Atr(2);
    const cs = candles(['100', '100', '103']);
    expect(atr.update(cs[0]!)).toBeUndefined();
    expect(atr.update(cs[1]!)).toBe(parsePrice('1'));
    expect(atr.update(cs[2]!)).toBe(parsePrice('2.25')); // TR 3.5, (1 + 3.5) / 2
  });
});

describe('trend rule on a crafted path', () => {
  const path = CRAFTED_CLOSES;
  const run = (p: TrendParams, closes: readonly string[]) => {
    const rule = new TrendRule(p, SOL);
    return candles(closes)
      .map((c, i) => ({ i, s: rule.onCandle(c) }))
      .filter(({ s }) => s.action !== 'hold');
  };
  const describeSignals = (signals: ReturnType<typeof run>) =>
    signals.map(({ i, s }) => `${i}:${s.action}${s.action === 'enter' ? `:${s.side}` : ''}`);

  it('enters on each EMA cross and reverses on the opposite one', () => {
    const signals = run(params, path);
    expect(describeSignals(signals)).toEqual(['5:enter:short', '9:enter:long', '14:enter:short']);
    const long = signals[1]!.s;
    if (long.action !== 'enter') throw new Error('expected an entry');
    // ATR(3) at candle 9 is 2.323045; the stop sits 2 ATR below the 102 close.
    expect(long.stopPrice).toBe(parsePrice('102') - 2n * parsePrice('2.323045'));
    // Size loses 100 USDC at the stop: 100 / 4.64609 = 21.52 SOL (floored to the 0.01 step).
    expect(long.target).toBe(parseBase('21.52'));
  });

  it('stops out when the close crosses the stop before any opposite cross', () => {
    const tight = { ...params, stopAtrTenths: 5 };
    const signals = run(tight, [...path.slice(0, 13), '100.5']);
    expect(describeSignals(signals)).toEqual(['5:enter:short', '9:enter:long', '13:exit']);
  });

  it('never exceeds the max position', () => {
    const signals = run({ ...params, maxPositionBase: parseBase('1') }, path);
    expect(signals.length).toBeGreaterThan(0);
    for (const { s } of signals)
      if (s.action === 'enter') expect(s.target < 0n ? -s.target : s.target).toBe(parseBase('1'));
  });
});

describe('Donchian breakout entries', () => {
  const donchian: TrendParams = { ...params, signal: { type: 'donchian', period: 4 } };
  const run = (closes: readonly string[]) => {
    const rule = new TrendRule(donchian, SOL);
    return candles(closes)
      .map((c, i) => ({ i, s: rule.onCandle(c) }))
      .filter(({ s }) => s.action !== 'hold')
      .map(({ i, s }) => `${i}:${s.action}${s.action === 'enter' ? `:${s.side}` : ''}`);
  };

  it('enters when the close leaves the channel of the previous candles, ignores breakouts it already holds', () => {
    // Channel of 4 candles with a 1.00 range: high = max close + 0.5, low = min close - 0.5.
    const closes = ['100', '100', '100', '100', '100.4', '100.6', '101', '102', '103', '101', '99', '98.4'];
    // 5, 6: 100.6 and 101 stay under the previous highs (100.9, 101.1); 7: 102 > 101.5 -> long;
    // 8: 103 > 102.5, a new high while long -> held; 10: 99 < the lowest low 100.5 -> short.
    expect(run(closes)).toEqual(['7:enter:long', '10:enter:short']);
  });

  it('waits for the channel to fill before the first signal', () => {
    expect(run(['100', '105', '110', '115'])).toEqual([]);
  });
});
