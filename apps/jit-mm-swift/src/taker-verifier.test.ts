import { findMarket, parsePrice, type TakerOrder } from '@drift/core';
import { SimEngine, verifyTakerOrder } from '@drift/sim';
import { describe, expect, it } from 'vitest';
import { TakerVerifier } from './taker-verifier.js';

function streamOrders(n: number): TakerOrder[] {
  const engine = new SimEngine({
    seed: 3,
    markets: [{ spec: findMarket('SOL-PERP')!, startPrice: parsePrice('150') }],
    takerFlow: { ordersPerMinute: 600 },
  });
  const out: TakerOrder[] = [];
  engine.subscribe((e) => {
    if (e.type === 'taker') out.push(e.order);
  });
  while (out.length < n) engine.advanceSlots(5);
  return out.slice(0, n);
}

describe('TakerVerifier', () => {
  const orders = streamOrders(20);
  const { verify } = new TakerVerifier();

  it('accepts what the simulator signed, like @drift/sim verifyTakerOrder', () => {
    for (const o of orders) expect(verify(o)).toBe(verifyTakerOrder(o));
    expect(orders.every(verify)).toBe(true);
  });

  it('refuses altered terms, another taker key, a bad signature and garbage keys', () => {
    const [a, b] = orders as [TakerOrder, TakerOrder];
    expect(verify({ ...a, baseAmount: a.baseAmount + 1n })).toBe(false);
    expect(verify({ ...a, auction: { ...a.auction, endPrice: a.auction.endPrice + 100n } })).toBe(false);
    expect(verify({ ...a, taker: b.taker })).toBe(false);
    const sig = Uint8Array.from(a.signature!);
    sig[0]! ^= 1;
    expect(verify({ ...a, signature: sig })).toBe(false);
    expect(verify({ ...a, taker: 'not-base58-0OIl' })).toBe(false);
    expect(verify({ ...a, signature: undefined })).toBe(false);
  });
});
