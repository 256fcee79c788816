import { findMarket, parseBase, parsePrice } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { type HedgeParams, planHedge } from './plan.js';

const SOL = findMarket('SOL-PERP')!;
const params: HedgeParams = {
  bandBase: parseBase('5'),
  maxOrderBase: parseBase('8'),
  maxSlippageBps: 20,
  cooldownMs: 2_000,
};
const input = { market: SOL, oraclePrice: parsePrice('150'), params, now: 10_000 };

describe('planHedge', () => {
  it('does nothing while the exposure is inside the band', () => {
    expect(planHedge({ ...input, netExposure: parseBase('5') })).toEqual({
      action: 'none',
      reason: 'inside-band',
    });
    expect(planHedge({ ...input, netExposure: -parseBase('4.99') })).toMatchObject({ action: 'none' });
  });

  it('sells a long exposure back toward flat, capped, with an IOC limit at the max slippage', () => {
    const plan = planHedge({ ...input, netExposure: parseBase('12') });
    expect(plan).toEqual({
      action: 'hedge',
      side: 'sell',
      baseAmount: parseBase('8'),
      limitPrice: parsePrice('149.7'),
      exposure: parseBase('12'),
    });
  });

  it('buys a short exposure of exactly its size when under the cap', () => {
    expect(planHedge({ ...input, netExposure: -parseBase('6.5') })).toMatchObject({
      side: 'buy',
      baseAmount: parseBase('6.5'),
      limitPrice: parsePrice('150.3'),
    });
  });

  it('waits for the cool-down after a hedge', () => {
    expect(planHedge({ ...input, netExposure: parseBase('12'), lastHedgeAt: 9_000 })).toEqual({
      action: 'none',
      reason: 'cooldown',
    });
    expect(planHedge({ ...input, netExposure: parseBase('12'), lastHedgeAt: 7_000 })).toMatchObject({
      action: 'hedge',
    });
  });
});
