import { describe, expect, it } from 'vitest';
import { px, SOL } from '../test/helpers.js';
import { SimEngine } from './engine.js';
import { parseOracleCsv, RandomWalkPath } from './oracle.js';
import { Prng } from './prng.js';

describe('oracle CSV replay', () => {
  it('parses ms or ISO timestamps with an optional header, rounding prices to the tick', () => {
    const csv = 'timestamp,price\n2026-01-01T00:00:00Z,150.00004\n\n1767225601000,151.5\n';
    expect(parseOracleCsv(csv, SOL.tickSize)).toEqual([
      { ts: Date.UTC(2026, 0, 1), price: px('150') },
      { ts: Date.UTC(2026, 0, 1) + 1000, price: px('151.5') },
    ]);
  });

  it('names the line and value of bad input', () => {
    expect(() => parseOracleCsv('0,150\n1000,abc\n', SOL.tickSize, 'sol.csv')).toThrow(
      'sol.csv line 2: price "abc" is not a decimal number',
    );
    expect(() => parseOracleCsv('0,150\nyesterday,151\n', SOL.tickSize)).toThrow(
      'csv line 2: timestamp "yesterday" is not ms or ISO 8601',
    );
    expect(() => parseOracleCsv('1000,150\n0,151\n', SOL.tickSize)).toThrow('line 2: timestamp 0 is before');
    expect(() => parseOracleCsv('0,-1\n', SOL.tickSize)).toThrow('must be > 0');
    expect(() => parseOracleCsv('timestamp,price\n', SOL.tickSize)).toThrow('no price points');
  });

  it('drives the engine oracle, shifted to the engine start, holding the last price', () => {
    const replay = parseOracleCsv('5000,100\n5800,101\n6200,99.5\n', SOL.tickSize);
    const engine = new SimEngine({ seed: 3, markets: [{ spec: SOL, startPrice: 0n, replay }] });
    const seen: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(engine.oracle('SOL-PERP').price);
      engine.advanceSlots(1);
    }
    // Slots every 400 ms: the 800 ms and 1200 ms points land on slots 2 and 3.
    expect(seen).toEqual([px('100'), px('100'), px('101'), px('99.5'), px('99.5')]);
  });
});

describe('random walk', () => {
  it('is reproducible from the seed, moves, and stays on the tick', () => {
    const walk = (seed: number) => {
      const path = new RandomWalkPath(
        { startPrice: px('150'), volatilityBps: 80, driftBps: 0, tickSize: SOL.tickSize, stepMs: 400 },
        new Prng(seed),
      );
      return Array.from({ length: 200 }, (_, i) => path.priceAt(i * 400));
    };
    const a = walk(1);
    expect(walk(1)).toEqual(a);
    expect(walk(2)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(50);
    expect(a.every((p) => p % SOL.tickSize === 0n)).toBe(true);
  });

  it('has about the configured hourly volatility', () => {
    // 9000 steps of 400 ms = 1 hour; across 200 seeded hours the return's stdev ~ 80 bps.
    const returns: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const path = new RandomWalkPath(
        { startPrice: px('150'), volatilityBps: 80, driftBps: 0, tickSize: 1n, stepMs: 3_600_000 / 100 },
        new Prng(seed),
      );
      path.priceAt(0);
      returns.push(Number(path.priceAt(3_600_000) - px('150')) / Number(px('150')));
    }
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / returns.length);
    expect(sd * 10_000).toBeGreaterThan(65);
    expect(sd * 10_000).toBeLessThan(95);
  });
});
