import { describe, expect, it } from 'vitest';
import { BTC, px, SOL } from '../test/helpers.js';
import { SimEngine } from './engine.js';
import { serializeHistory } from './history.js';
import { Prng } from './prng.js';

/** A seeded session: random walk, taker stream, and a scripted market maker that quotes and fills. */
function session(seed: number): string {
  const engine = new SimEngine({
    seed,
    markets: [
      { spec: SOL, startPrice: px('150'), volatilityBps: 80 },
      { spec: BTC, startPrice: px('90000'), volatilityBps: 60, driftBps: 5 },
    ],
    takerFlow: { ordersPerMinute: 300 },
    funding: { intervalMs: 60_000 },
  });
  const script = new Prng(seed + 1000);
  engine.subscribe((event) => {
    if (event.type !== 'taker' || script.nextFloat() < 0.5) return;
    const spec = event.order.market === 'SOL-PERP' ? SOL : BTC;
    engine.fillTaker(event.order, {
      price: event.order.auction.startPrice,
      baseAmount: spec.minOrderSize * BigInt(1 + script.nextInt(5)),
      subAccount: 1 + script.nextInt(2),
    });
  });
  for (let slot = 0; slot < 600; slot++) {
    const oracle = engine.oracle('SOL-PERP').price;
    const offset = BigInt(1 + script.nextInt(20)) * 10_000n;
    const side = script.nextFloat() < 0.5 ? 'buy' : 'sell';
    engine.place(3 + script.nextInt(2), {
      market: 'SOL-PERP',
      side,
      type: 'limit',
      price: side === 'buy' ? oracle - offset : oracle + offset,
      baseAmount: SOL.minOrderSize * BigInt(1 + script.nextInt(10)),
    });
    if (script.nextFloat() < 0.3) engine.cancelAll({ subAccount: 3, market: 'SOL-PERP' });
    engine.advanceSlots(1);
  }
  return serializeHistory(engine.history());
}

describe('determinism', () => {
  it('the same seed gives the same history byte for byte; another seed does not', () => {
    const a = session(42);
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toContain('"kind":"fill"');
    expect(a).toContain('"kind":"funding"');
    expect(session(42)).toBe(a);
    expect(session(43)).not.toBe(a);
  });
});
