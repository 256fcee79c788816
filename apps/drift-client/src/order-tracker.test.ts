import type { Order } from '@drift/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrderTracker } from './order-tracker.js';

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
