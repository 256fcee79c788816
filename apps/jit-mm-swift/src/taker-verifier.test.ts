import { findMarket, parsePrice, type TakerOrder } from '@drift/domain';
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
  const { verify, verifyOffThread } = new TakerVerifier();

  /** Both forms' verdicts, which must agree. */
  async function verdict(order: TakerOrder): Promise<boolean> {
    const inline = verify(order);
    expect(await verifyOffThread(order)).toBe(inline);
    return inline;
  }

  it('accepts what the simulator signed, like @drift/sim verifyTakerOrder', async () => {
    for (const o of orders) expect(await verdict(o)).toBe(verifyTakerOrder(o));
    expect(orders.every(verify)).toBe(true);
  });

  it('refuses altered terms, another taker key, a bad signature and garbage keys', async () => {
    const [a, b] = orders as [TakerOrder, TakerOrder];
    expect(await verdict({ ...a, baseAmount: a.baseAmount + 1n })).toBe(false);
    expect(await verdict({ ...a, auction: { ...a.auction, endPrice: a.auction.endPrice + 100n } })).toBe(
      false,
    );
    expect(await verdict({ ...a, taker: b.taker })).toBe(false);
    // Terms intact, signature not the taker's: only the off-thread ed25519 check can tell.
    const sig = Uint8Array.from(a.signature!);
    sig[0]! ^= 1;
    expect(await verdict({ ...a, signature: sig })).toBe(false);
    expect(await verdict({ ...a, signature: b.signature })).toBe(false);
    expect(await verdict({ ...a, taker: 'not-base58-0OIl' })).toBe(false);
    expect(await verdict({ ...a, signature: undefined })).toBe(false);
  });

  it("hands a message in Swift's format (hex text) to the Swift checker; without one it is refused", async () => {
    const [a] = orders as [TakerOrder];
    const swiftFormat = { ...a, message: new TextEncoder().encode('0a1b2c3d') };
    expect(await verdict(swiftFormat)).toBe(false);
    const checked: string[] = [];
    const withSwift = new TakerVerifier({
      swift: (o) => {
        checked.push(o.uuid);
        return Promise.resolve(o.baseAmount === a.baseAmount);
      },
    });
    expect(await withSwift.verify(swiftFormat)).toBe(true);
    expect(await withSwift.verifyOffThread({ ...swiftFormat, baseAmount: 1n })).toBe(false);
    // The simulator's own orders never reach it.
    expect(withSwift.verify(a)).toBe(true);
    expect(checked).toEqual([a.uuid, a.uuid]);
  });
});
