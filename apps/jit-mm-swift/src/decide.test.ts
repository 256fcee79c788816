import { findMarket, parseBase, parsePrice, type TakerOrder } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { auctionPriceAt, decide, type QuoteParams, requiredMakerPrice } from './decide.js';
import { VolatilityGuard } from './volatility-guard.js';

const SOL = findMarket('SOL-PERP')!;
const params: QuoteParams = {
  edgeBps: 10,
  inventorySkewBps: 20,
  maxOrderBase: parseBase('10'),
  maxPositionBase: parseBase('50'),
};

function takerBuy(overrides: Partial<TakerOrder['auction']> = {}, base = '5'): TakerOrder {
  return {
    uuid: 'u1',
    source: 'swift',
    market: 'SOL-PERP',
    side: 'buy',
    baseAmount: parseBase(base),
    auction: {
      startPrice: parsePrice('150'),
      endPrice: parsePrice('150.6'),
      startSlot: 100,
      durationSlots: 10,
      ...overrides,
    },
    taker: 'taker',
    receivedAt: 0,
  };
}

describe('auction price', () => {
  it('moves linearly from start to end and holds the end after the auction', () => {
    const t = takerBuy();
    expect(auctionPriceAt(t, 100)).toBe(parsePrice('150'));
    expect(auctionPriceAt(t, 105)).toBe(parsePrice('150.3'));
    expect(auctionPriceAt(t, 200)).toBe(parsePrice('150.6'));
  });

  it("rounds to the tick in the taker's favour, as the venue does", () => {
    const t = takerBuy({ endPrice: parsePrice('150.0007') }); // 0.00007 per slot
    expect(auctionPriceAt(t, 105, SOL.tickSize)).toBe(parsePrice('150.0003')); // 150.00035 floored for a buyer
    const sell = { ...t, side: 'sell' as const };
    expect(auctionPriceAt(sell, 105, SOL.tickSize)).toBe(parsePrice('150.0004')); // ceiled for a seller
  });
});

describe('required price', () => {
  it('keeps the edge on a flat book: 10 bps over a 150 oracle is 150.15 for a sell', () => {
    expect(requiredMakerPrice('sell', parsePrice('150'), 0n, params, SOL.tickSize)).toBe(
      parsePrice('150.15'),
    );
    expect(requiredMakerPrice('buy', parsePrice('150'), 0n, params, SOL.tickSize)).toBe(parsePrice('149.85'));
  });

  it('widens the side that would grow the position, not the side that reduces it', () => {
    const short = -parseBase('25'); // half full, short
    expect(requiredMakerPrice('sell', parsePrice('150'), short, params, SOL.tickSize)).toBe(
      parsePrice('150.3'),
    );
    expect(requiredMakerPrice('buy', parsePrice('150'), short, params, SOL.tickSize)).toBe(
      parsePrice('149.85'),
    );
  });
});

describe('decide', () => {
  const base = { market: SOL, oraclePrice: parsePrice('150'), position: 0n, params, volatile: false };

  it('fills at the first auction slot whose price keeps the edge', () => {
    const d = decide({ ...base, taker: takerBuy(), slot: 100 });
    expect(d).toMatchObject({ decision: 'fill', side: 'sell', fillSlot: 103, baseAmount: parseBase('5') });
    if (d.decision === 'fill') expect(d.price).toBe(parsePrice('150.18'));
  });

  it('never fills after the auction has ended', () => {
    expect(decide({ ...base, taker: takerBuy(), slot: 110 })).toEqual({
      decision: 'skip',
      reason: 'auction-ended',
    });
  });

  it('skips when even the end of the auction does not pay the edge', () => {
    const d = decide({ ...base, taker: takerBuy({ endPrice: parsePrice('150.1') }), slot: 100 });
    expect(d).toMatchObject({ decision: 'skip', reason: 'edge' });
  });

  it('fills only while at least minTimeLeftSlots of the auction remain', () => {
    const late = { ...params, minTimeLeftSlots: 3 };
    expect(decide({ ...base, params: late, taker: takerBuy(), slot: 107 })).toMatchObject({ fillSlot: 107 });
    expect(decide({ ...base, params: late, taker: takerBuy(), slot: 108 })).toEqual({
      decision: 'skip',
      reason: 'auction-ending',
    });
    // The edge is only paid from slot 103: a window closing before that is a skip for edge.
    const tight = { ...params, minTimeLeftSlots: 8 };
    expect(decide({ ...base, params: tight, taker: takerBuy(), slot: 100 })).toMatchObject({
      reason: 'edge',
    });
  });

  it('skips when the volatility guard is tripped', () => {
    expect(decide({ ...base, volatile: true, taker: takerBuy(), slot: 100 })).toMatchObject({
      reason: 'volatility',
    });
  });

  it('clips the size to the order cap and the remaining position capacity', () => {
    const big = takerBuy({}, '30');
    expect(decide({ ...base, taker: big, slot: 100 })).toMatchObject({ baseAmount: parseBase('10') });
    const nearCap = decide({ ...base, position: -parseBase('47'), taker: big, slot: 100 });
    expect(nearCap).toMatchObject({ decision: 'fill', baseAmount: parseBase('3') });
    expect(decide({ ...base, position: -parseBase('50'), taker: big, slot: 100 })).toMatchObject({
      reason: 'max-position',
    });
  });
});

describe('volatility guard', () => {
  it('trips when the range within the window exceeds the threshold and recovers after', () => {
    const guard = new VolatilityGuard(1_000, 50);
    guard.record(0, parsePrice('150'));
    guard.record(500, parsePrice('150.5'));
    expect(guard.tripped()).toBe(false); // 33 bps
    guard.record(900, parsePrice('151'));
    expect(guard.tripped()).toBe(true); // 66 bps
    guard.record(2_500, parsePrice('151.1'));
    expect(guard.tripped()).toBe(false); // old samples left the window
  });
});
