/**
 * Real program + order-management: after the order manager cancels one order, moves the expiry
 * of the others (Drift's modify: cancel and re-place under a new order id) and cancels all, its
 * SQLite journal agrees with the orders on chain, read from the program's User account.
 */
import { isVariant, type UserAccount } from '@drift-labs/sdk';
import type { OrderManager } from 'order-management';
import { describe, expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { describeLane, eventually, type LaneVenue, MODES } from './lane.js';
import { laneOrderManagers } from './lane-orders.js';

const ONE_SOL = 1_000_000_000n;
/** The shortest expiry order-management takes: resting orders are refreshed after ~5 s. */
const EXPIRY_MS = 10_000;

/** An open order as compared between the journal and the chain. */
interface Resting {
  orderId: number;
  userOrderId: number;
  side: string;
  price?: bigint;
  baseAmount: bigint;
}

const byOrderId = (a: Resting, b: Resting) => a.orderId - b.orderId;

function openOnChain(account: UserAccount): (Resting & { maxTs: number })[] {
  return account.orders
    .filter((o) => isVariant(o.status, 'open'))
    .map((o) => ({
      orderId: o.orderId,
      userOrderId: o.userOrderId,
      side: isVariant(o.direction, 'long') ? 'buy' : 'sell',
      price: BigInt(o.price.toString()),
      baseAmount: BigInt(o.baseAssetAmount.toString()),
      maxTs: o.maxTs.toNumber(),
    }))
    .sort(byOrderId);
}

describeLane('order-management journal: cancel, modify, cancel-all', (lane) => {
  const manager = laneOrderManagers(lane, { orderExpiryMs: EXPIRY_MS });

  /** The journal's open orders are exactly the chain's; returns the chain's. */
  async function journalIsChain(orders: OrderManager, maker: LaneVenue) {
    const chain = openOnChain((await readUser(lane().chain, maker.user.userAccount())).account);
    const journaled = orders.journal
      .allOrders()
      .filter((o) => o.status === 'open')
      .map((o) => ({
        orderId: Number(o.orderId),
        userOrderId: o.userOrderId,
        side: o.side,
        price: o.price,
        baseAmount: o.baseAmount,
      }))
      .sort(byOrderId);
    expect(journaled).toEqual(chain.map(({ maxTs: _, ...order }) => order));
    return chain;
  }

  describe.each(MODES)('%s', (mode) => {
    it('cancel one, modify (expiry refresh, new order id), cancel all: journal = chain after each', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `cancel-${mode}`);
      const ids: string[] = [];
      for (const price of [140_000_000n, 139_000_000n, 138_000_000n]) {
        const placed = await orders.place({
          market: 'SOL-PERP',
          side: 'buy',
          type: 'limit',
          price,
          baseAmount: ONE_SOL,
          postOnly: true,
        });
        if (!placed.ok) throw new Error(`bid at ${price} refused: ${placed.reason} ${placed.message}`);
        ids.push(placed.order.clientOrderId);
      }
      const [first, ...rest] = ids as [string, string, string];
      const placed = await journalIsChain(orders, maker);
      expect(placed).toHaveLength(3);

      expect(await orders.cancel(first)).toBe(true);
      expect(orders.journal.get(first)?.status).toBe('cancelled');
      expect((await journalIsChain(orders, maker)).map((o) => o.price)).toEqual([139_000_000n, 138_000_000n]);

      // The manager moves each resting order's expiry before half of it has run out: on Drift a
      // modify, so each comes back under a new order id, same userOrderId.
      const before = new Map(rest.map((id) => [id, orders.journal.get(id)?.orderId]));
      await eventually(
        () => (rest.every((id) => orders.journal.get(id)?.orderId !== before.get(id)) ? true : undefined),
        3 * EXPIRY_MS,
        'the expiry refresh of both resting orders',
      );
      const modified = await journalIsChain(orders, maker);
      expect(modified).toHaveLength(2);
      for (const order of modified) {
        expect(placed.map((o) => o.orderId)).not.toContain(order.orderId);
        expect(order.maxTs).toBeGreaterThan(Math.max(...placed.map((o) => o.maxTs)));
      }
      for (const id of rest) {
        expect(orders.journal.get(id)?.status).toBe('open');
        expect(orders.journal.eventsFor(id).map((e) => e.kind)).toContain('expiry-refreshed');
      }

      expect(await orders.cancelAll()).toBe(2);
      for (const id of ids) expect(orders.journal.get(id)?.status).toBe('cancelled');
      expect(await journalIsChain(orders, maker)).toEqual([]);
      expect(orders.liveOrders()).toEqual([]);
      await orders.stop();
    }, 60_000);
  });
});
