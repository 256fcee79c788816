import { describe, expect, it } from 'vitest';
import { base, px, SOL, usd } from '../test/helpers.js';
import { runOrderScript } from './order-script.js';

describe('runOrderScript (the differential test seam)', () => {
  it('returns fills with fees, positions and margin for a list of orders at slots', () => {
    const outcome = runOrderScript(
      {
        seed: 1,
        markets: [{ spec: SOL, startPrice: px('150'), volatilityBps: 0 }],
        subAccounts: { 1: usd('1000'), 2: usd('1000') },
        takerFeeRate: 350n, // 3.5 bps
        makerFeeRate: -25n, // -0.25 bps
      },
      [
        {
          slot: 0,
          subAccount: 1,
          order: {
            market: 'SOL-PERP',
            side: 'sell',
            type: 'limit',
            price: px('150.01'),
            baseAmount: base('2'),
          },
        },
        {
          slot: 3,
          subAccount: 2,
          order: {
            market: 'SOL-PERP',
            side: 'buy',
            type: 'limit',
            price: px('150.5'),
            baseAmount: base('2'),
            ioc: true,
          },
        },
      ],
    );
    expect(outcome.results.map((r) => r.ok)).toEqual([true, true]);
    // 300.02 USDC: the taker pays ceil(3.5 bps) = 0.105007, the maker gets floor(0.25 bps) = 0.0075005 -> 0.0075.
    expect(outcome.fills.map((f) => [f.subAccount, f.liquidity, f.quoteAmount, f.fee])).toEqual([
      [1, 'maker', usd('300.02'), -7_500n],
      [2, 'taker', usd('300.02'), 105_007n],
    ]);
    expect(outcome.positions.map((p) => [p.subAccount, p.baseAmount])).toEqual([
      [1, -base('2')],
      [2, base('2')],
    ]);
    // SOL-PERP initial margin 10% of 300 USDC at the oracle, maintenance 5%.
    expect(
      outcome.accounts.map((a) => [a.subAccount, a.initialMarginRequirement, a.maintenanceMarginRequirement]),
    ).toEqual([
      [1, usd('30'), usd('15')],
      [2, usd('30'), usd('15')],
    ]);
    expect(() =>
      runOrderScript({ seed: 1, markets: [{ spec: SOL, startPrice: px('150') }] }, [
        {
          slot: 2,
          subAccount: 1,
          order: { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: base('1') },
        },
        {
          slot: 1,
          subAccount: 1,
          order: { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: base('1') },
        },
      ]),
    ).toThrow('script[1].slot: 1 is before slot 2');
  });
});
