import { describe, expect, it } from 'vitest';
import { type AccountMark, outcomeFromAccounts, outcomeOfVanishedOrder } from './tx-outcome.js';

const SOL = 0;
const ONE = 1_000_000_000n;

function mark(
  slot: number,
  base: bigint,
  quoteEntry: bigint,
  orders: [number, { marketIndex: number; filled: bigint }][],
  ids: { next?: number; liquidation?: number } = {},
): AccountMark {
  return {
    slot,
    nextOrderId: ids.next ?? 10,
    nextLiquidationId: ids.liquidation ?? 1,
    positions: new Map([[SOL, { base, quoteEntry }]]),
    orders: new Map(orders),
  };
}

const bid = { orderId: 7, marketIndex: SOL, side: 'buy' as const, baseAmount: ONE };
const open7 = [7, { marketIndex: SOL, filled: 0n }] as [number, { marketIndex: number; filled: bigint }];

describe('outcomeOfVanishedOrder: a resting order that left the account', () => {
  it('filled: the position grew by its size, the price from the quote entry', () => {
    const before = mark(100, 0n, 0n, [open7]);
    const after = mark(101, ONE, -150_000_000n, []);
    expect(outcomeOfVanishedOrder(before, after, bid)).toEqual({
      ok: true,
      orderId: 7,
      filledBase: ONE,
      price: 150_000_000n,
    });
  });

  it('partly filled before, the rest now; a reduced position gives no price', () => {
    const before = mark(100, -3n * ONE, 450_000_000n, [[7, { marketIndex: SOL, filled: 400_000_000n }]]);
    const after = mark(101, -3n * ONE + 600_000_000n, 360_000_000n, []);
    expect(outcomeOfVanishedOrder(before, after, bid)).toEqual({ ok: true, orderId: 7, filledBase: ONE });
  });

  it('cancelled unfilled: the position did not move', () => {
    const before = mark(100, 0n, 0n, [open7]);
    expect(outcomeOfVanishedOrder(before, mark(101, 0n, 0n, []), bid)).toEqual({
      ok: true,
      orderId: 7,
      filledBase: 0n,
    });
  });

  it('unknown when another order of the market left or filled too, and not for one of another market', () => {
    const both = mark(100, 0n, 0n, [open7, [8, { marketIndex: SOL, filled: 0n }]]);
    const gone = mark(101, 2n * ONE, -300_000_000n, []);
    expect(outcomeOfVanishedOrder(both, gone, bid)).toMatchObject({
      ok: false,
      why: expect.stringContaining('order 8'),
    });
    const otherMarket = mark(100, 0n, 0n, [open7, [8, { marketIndex: 1, filled: 0n }]]);
    expect(outcomeOfVanishedOrder(otherMarket, mark(101, ONE, -150_000_000n, []), bid)).toMatchObject({
      ok: true,
      filledBase: ONE,
    });
  });

  it('unknown when an order was placed, the account liquidated, or the position moved beyond it', () => {
    const before = mark(100, 0n, 0n, [open7]);
    expect(outcomeOfVanishedOrder(before, mark(101, ONE, 0n, [], { next: 11 }), bid)).toMatchObject({
      ok: false,
    });
    expect(outcomeOfVanishedOrder(before, mark(101, ONE, 0n, [], { liquidation: 2 }), bid)).toMatchObject({
      ok: false,
      why: expect.stringContaining('liquidated'),
    });
    expect(outcomeOfVanishedOrder(before, mark(101, 2n * ONE, 0n, []), bid)).toMatchObject({ ok: false });
    expect(outcomeOfVanishedOrder(before, mark(101, -ONE, 0n, []), bid)).toMatchObject({ ok: false });
  });
});

describe('outcomeFromAccounts: the one order a transaction placed', () => {
  it('filled from the position change, read at or after the transaction only', () => {
    const before = mark(100, 0n, 0n, []);
    const after = mark(101, -ONE / 2n, 75_000_000n, [], { next: 11 });
    const order = { marketIndex: SOL, side: 'sell' as const, baseAmount: ONE / 2n, landedSlot: 101 };
    expect(outcomeFromAccounts(before, after, order)).toEqual({
      ok: true,
      orderId: 10,
      filledBase: ONE / 2n,
      price: 150_000_000n,
    });
    expect(outcomeFromAccounts(before, after, { ...order, landedSlot: 102 })).toMatchObject({ ok: false });
  });
});
