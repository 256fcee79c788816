import type { Order } from '@drift/core';
import { describe, expect, it } from 'vitest';
import { OrderTracker } from './order-tracker.js';

const NOW = 1_900_000_000_000;

const resting = (orderId: string, maxTs?: number): Order => ({
  orderId,
  subAccount: 0,
  market: 'SOL-PERP',
  side: 'buy',
  type: 'limit',
  price: 140_000_000n,
  baseAmount: 1_000_000_000n,
  filledBase: 0n,
  status: 'open',
  postOnly: true,
  reduceOnly: false,
  ioc: false,
  createdAt: NOW - 60_000,
  updatedAt: NOW - 60_000,
  ...(maxTs !== undefined && { maxTs }),
});

describe('OrderTracker: an order that left the account unfilled', () => {
  it('is expired once past its maxTs (the program refuses to fill it), cancelled otherwise', async () => {
    const delivered: Order[] = [];
    const tracker = new OrderTracker({
      deliver: (o) => delivered.push(o),
      filledOf: () => 0n,
      readRecentFills: async () => true, // every transaction readable
      graceMs: 5,
      now: () => NOW,
    });
    tracker.reset([resting('1', NOW - 1_000), resting('2', NOW + 30_000), resting('3')]);
    tracker.onAccount([]);
    await new Promise((r) => setTimeout(r, 50));
    tracker.close();
    expect(delivered.map((o) => [o.orderId, o.status])).toEqual([
      ['1', 'expired'],
      ['2', 'cancelled'],
      ['3', 'cancelled'],
    ]);
  });
});
