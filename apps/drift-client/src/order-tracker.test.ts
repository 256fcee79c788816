import type { Order } from '@drift/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AccountSettlement, OrderTracker } from './order-tracker.js';

const order: Order = {
  orderId: '7',
  subAccount: 0,
  market: 'SOL-PERP',
  side: 'buy',
  type: 'limit',
  price: 150_000_000n,
  baseAmount: 1_000_000_000n,
  filledBase: 0n,
  status: 'open',
  postOnly: true,
  reduceOnly: false,
  ioc: false,
  createdAt: 0,
  updatedAt: 0,
};

function tracker(reads: boolean[]) {
  const delivered: Order[] = [];
  const since: number[] = [];
  const t = new OrderTracker({
    deliver: (o) => delivered.push(o),
    filledOf: () => 0n,
    readRecentFills: async (sinceSlot) => {
      since.push(sinceSlot);
      return reads.shift() ?? true;
    },
    reasonOf: () => 'reduce-only-increases',
    graceMs: 500,
    accountFallbackReads: 10,
    fromAccount: () => ({ ok: false, why: 'not asked' }),
    now: () => 1,
  });
  return { t, delivered, since };
}

describe('OrderTracker: an order that left the account', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is not ended while a transaction since it was last seen open is unreadable; then cancelled with its reason', async () => {
    vi.useFakeTimers();
    const { t, delivered, since } = tracker([false, false, true]);
    t.reset([order], 100);
    t.onAccount([], 105);
    await vi.advanceTimersByTimeAsync(500);
    expect(since).toEqual([100]);
    expect(delivered).toEqual([]);
    // Retried, backing off from the grace period: after 0.5 s, then 1 s.
    await vi.advanceTimersByTimeAsync(499);
    expect(since).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(since).toHaveLength(2);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(999);
    expect(since).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(since).toEqual([100, 100, 100]);
    expect(delivered).toEqual([
      expect.objectContaining({ orderId: '7', status: 'cancelled', reason: 'reduce-only-increases' }),
    ]);
    t.close();
  });
});

describe('OrderTracker: an order that left the account unfilled', () => {
  it('is expired once past its maxTs (the program refuses to fill it), cancelled otherwise', async () => {
    const now = 1_900_000_000_000;
    const delivered: Order[] = [];
    const t = new OrderTracker({
      deliver: (o) => delivered.push(o),
      filledOf: () => 0n,
      readRecentFills: async () => true, // every transaction readable
      graceMs: 5,
      accountFallbackReads: 1,
      fromAccount: () => ({ ok: false, why: 'not asked' }),
      now: () => now,
    });
    t.reset([
      { ...order, orderId: '1', maxTs: now - 1_000 },
      { ...order, orderId: '2', maxTs: now + 30_000 },
      { ...order, orderId: '3' },
    ]);
    t.onAccount([]);
    await new Promise((r) => setTimeout(r, 50));
    t.close();
    expect(delivered.map((o) => [o.orderId, o.status])).toEqual([
      ['1', 'expired'],
      ['2', 'cancelled'],
      ['3', 'cancelled'],
    ]);
  });
});

describe('OrderTracker: an order that left the account while its transactions stay unreadable', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function unreadable(settlement: AccountSettlement) {
    const delivered: Order[] = [];
    const asked: [string, string, string][] = [];
    let reads = 0;
    const t = new OrderTracker<string>({
      deliver: (o) => delivered.push(o),
      filledOf: () => 0n,
      readRecentFills: async () => {
        reads++;
        return false; // getTransaction null for ever
      },
      graceMs: 500,
      accountFallbackReads: 3,
      fromAccount: (o, before, after) => {
        asked.push([o.orderId, before, after]);
        return settlement;
      },
      now: () => 1,
    });
    return { t, delivered, asked, reads: () => reads };
  }

  it('is settled from the account snapshots around its leaving after the bounded reads', async () => {
    vi.useFakeTimers();
    const { t, delivered, asked, reads } = unreadable({ ok: true, filledBase: order.baseAmount });
    t.reset([order], 100, 'open at 100');
    t.onAccount([order], 104, 'open at 104');
    t.onAccount([], 105, 'gone at 105');
    // Reads after 0.5 s, then 0.5 s and 1 s more: the third unreadable one hands over to the account.
    await vi.advanceTimersByTimeAsync(1_999);
    expect([reads(), delivered]).toEqual([2, []]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(3);
    expect(asked).toEqual([['7', 'open at 104', 'gone at 105']]);
    expect(delivered).toEqual([
      expect.objectContaining({ orderId: '7', status: 'filled', filledBase: order.baseAmount }),
    ]);
    t.close();
  });

  it('the account saying it filled part: cancelled with that part', async () => {
    vi.useFakeTimers();
    const { t, delivered } = unreadable({ ok: true, filledBase: 400_000_000n });
    t.reset([order], 100, 'open');
    t.onAccount([], 105, 'gone');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(delivered).toEqual([
      expect.objectContaining({ orderId: '7', status: 'cancelled', filledBase: 400_000_000n }),
    ]);
    t.close();
  });

  it('the account cannot attribute it: outcome-unknown (never cancelled), no more reads, a fill record ends it', async () => {
    vi.useFakeTimers();
    const { t, delivered, reads } = unreadable({ ok: false, why: 'order 8 of the market also changed' });
    t.reset([order], 100, 'open');
    t.onAccount([], 105, 'gone');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(delivered).toEqual([
      expect.objectContaining({ orderId: '7', status: 'open', reason: 'outcome-unknown', filledBase: 0n }),
    ]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reads()).toBe(3);
    expect(delivered).toHaveLength(1);
    t.onFill({
      orderId: 7,
      baseAmount: order.baseAmount,
      cumulativeFilled: order.baseAmount,
      order: () => order,
    });
    expect(delivered.map((o) => o.status)).toEqual(['open', 'filled']);
    t.close();
  });

  it('with no snapshot of the account from before it left: outcome-unknown', async () => {
    vi.useFakeTimers();
    const { t, delivered, asked } = unreadable({ ok: true, filledBase: order.baseAmount });
    t.reset([order], 100);
    t.onAccount([], 105, 'gone');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(asked).toEqual([]);
    expect(delivered).toEqual([expect.objectContaining({ status: 'open', reason: 'outcome-unknown' })]);
    t.close();
  });
});
