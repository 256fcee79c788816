import { describe, expect, it } from 'vitest';
import { base, px, SOL, usd } from '../test/helpers.js';
import { SimEngine } from './engine.js';
import { feeTierOf } from './fee-tiers.js';

describe('fee tiers', () => {
  it("follow Drift's 30-day volume thresholds", () => {
    expect(
      [0, 999_999, 1_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 1e9].map((m) =>
        feeTierOf(usd(String(m))),
      ),
    ).toEqual([0, 0, 1, 2, 3, 4, 5, 5]);
  });

  it('charge a sub-account the rates of its tier, moving up as it trades', () => {
    const engine = new SimEngine({
      seed: 1,
      markets: [{ spec: SOL, startPrice: px('150'), volatilityBps: 0 }],
      feeTiers: [
        { taker: 350n, maker: -25n },
        { taker: 300n, maker: -25n },
      ],
      volume30d: { 2: usd('999800') },
    });
    const sell = {
      market: 'SOL-PERP',
      side: 'sell',
      type: 'limit',
      price: px('150'),
      baseAmount: base('1'),
    } as const;
    const buy = { ...sell, side: 'buy', price: px('151'), ioc: true } as const;
    engine.place(1, sell);
    // The program counts the fill itself before choosing the tier (drift-client's differential test).
    const first = engine.place(2, buy); // 999,800 + 150 -> tier 1 (3.5 bps)
    engine.place(1, sell);
    const second = engine.place(2, buy); // 999,950 + 150 = 1,000,100 -> tier 2 (3 bps)
    if (!first.ok || !second.ok) throw new Error('placement failed');
    expect(first.fills.map((f) => f.fee)).toEqual([52_500n]); // 150 USDC * 3.5 bps
    expect(second.fills.map((f) => f.fee)).toEqual([45_000n]); // 150 USDC * 3 bps
    // The maker pays its own tier's rate: the rebate, rounded down to the unit.
    expect(engine.fills({ subAccount: 1 }).map((f) => f.fee)).toEqual([-3_750n, -3_750n]);
  });
});
