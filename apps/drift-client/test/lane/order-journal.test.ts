/**
 * Real program + order-management: a JIT fill whose transaction confirmed but could not be read
 * ends, in the SQLite journal, as what the chain did; it is never reported failed, never re-sent.
 * A placement whose transaction never lands ends expired, with nothing on chain.
 */
import type { OrderManager } from 'order-management';
import { describe, expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { describeLane, eventually, type LaneVenue, MODES } from './lane.js';
import { laneOrderManagers } from './lane-orders.js';
import { auctionFor, MAKER_BID, TAKER_BASE, takeMakerOrder } from './taker.js';

describeLane('order-management journal', (lane) => {
  const manager = laneOrderManagers(lane, { placeTimeoutMs: 5_000 });

  async function position(maker: LaneVenue): Promise<bigint> {
    await maker.venue.driftClient().getUser().fetchAccounts();
    return (await maker.venue.getPositions())[0]?.baseAmount ?? 0n;
  }

  /** A post-only bid through the manager, resting at the venue. */
  async function restingBid(orders: OrderManager) {
    const placed = await orders.place({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      price: MAKER_BID,
      baseAmount: TAKER_BASE,
      postOnly: true,
    });
    if (!placed.ok) throw new Error(`maker bid refused: ${placed.reason} ${placed.message}`);
    return placed;
  }

  describe.each(MODES)('%s', (mode) => {
    it('getTransaction null at first: journaled filled, matching the position', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `jit-null-${mode}`);
      const taker = await auctionFor(lane(), mode, maker.venue);
      lane().chain.hideLanded = 2;
      const result = await orders.fillTaker(taker, { price: MAKER_BID, baseAmount: TAKER_BASE });
      lane().chain.hideLanded = 0;
      expect(result).toMatchObject({ ok: true, order: { status: 'filled', filledBase: TAKER_BASE } });
      if (!result.ok) return;
      expect(orders.journal.get(result.order.clientOrderId)).toMatchObject({
        status: 'filled',
        filledBase: await position(maker),
      });
      await orders.stop();
    });

    it('getTransaction never answers, no log: journaled filled from the account, matching the position', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `jit-never-${mode}`);
      const taker = await auctionFor(lane(), mode, maker.venue);
      const restore = lane().chain.hideOutcomes(maker.user.userAccount(), { lag: false });
      try {
        const result = await orders.fillTaker(taker, { price: MAKER_BID, baseAmount: TAKER_BASE });
        expect(result).toMatchObject({ ok: true, order: { status: 'filled', filledBase: TAKER_BASE } });
        if (!result.ok) return;
        expect(orders.journal.get(result.order.clientOrderId)).toMatchObject({
          status: 'filled',
          filledBase: await position(maker),
        });
      } finally {
        restore();
      }
      await orders.stop();
    });

    it('a resting order filled by another party, its fill log dropped or unreadable at first: journaled filled as on chain', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `resting-${mode}`);
      const placed = await restingBid(orders);
      const account = maker.user.userAccount();
      // Websocket: the fill's log notification never comes; polling: getTransaction null at first.
      const chain = lane().chain;
      if (mode === 'websocket')
        chain.delivery = {
          order: 'accounts-first',
          dropAccounts: new Set(),
          dropLogsOf: new Set([account.toBase58()]),
        };
      else chain.hideLanded = 3;
      try {
        await takeMakerOrder(
          lane(),
          mode,
          { user: maker.user, orderId: Number(placed.order.orderId) },
          TAKER_BASE,
        );
      } finally {
        chain.delivery = { order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set() };
        chain.hideLanded = 0;
      }
      const settled = await eventually(
        () => {
          const o = orders.journal.get(placed.order.clientOrderId);
          return o && o.status !== 'open' ? o : undefined;
        },
        10_000,
        'the journal to end the resting order',
      );
      expect(settled).toMatchObject({ status: 'filled', filledBase: TAKER_BASE });
      expect(await position(maker)).toBe(TAKER_BASE);
      expect(orders.journal.fillsFor(settled).map((f) => [f.baseAmount, f.price])).toEqual([
        [TAKER_BASE, MAKER_BID],
      ]);
      await orders.stop();
    });

    it('two resting orders filled in one never readable transaction: outcome-unknown, kept open, never cancelled', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `end-unknown-${mode}`);
      const ids = [(await restingBid(orders)).order, (await restingBid(orders)).order];
      const [first] = ids;
      if (first?.orderId === undefined) throw new Error('the first maker bid has no venue order id');
      const restore = lane().chain.hideOutcomes(maker.user.userAccount(), { lag: false });
      try {
        await takeMakerOrder(
          lane(),
          mode,
          { user: maker.user, orderId: Number(first.orderId) },
          2n * TAKER_BASE,
        );
      } finally {
        restore();
      }
      for (const { clientOrderId } of ids) {
        await eventually(
          () => orders.journal.eventsFor(clientOrderId).find((e) => e.kind === 'outcome-unknown'),
          15_000,
          `the journal's outcome-unknown event of ${clientOrderId}`,
        );
      }
      // A full reconciliation finds neither open at the venue: still not a cancel (both filled on chain).
      await orders.reconcile();
      for (const { clientOrderId } of ids) {
        expect(orders.journal.get(clientOrderId)).toMatchObject({ status: 'open' });
      }
      expect(orders.liveOrders()).toHaveLength(2);
      expect(await position(maker)).toBe(2n * TAKER_BASE);
      await orders.stop({ cancel: false });
    });

    it('a transaction that never lands: journaled expired (an intent the venue never saw), nothing on chain', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `expiry-${mode}`);
      const result = await lane().chain.neverLanding(() =>
        orders.place({
          market: 'SOL-PERP',
          side: 'buy',
          type: 'limit',
          price: 140_000_000n,
          baseAmount: TAKER_BASE,
          postOnly: true,
        }),
      );
      expect(result).toMatchObject({ ok: false, reason: 'unconfirmed' });
      const clientOrderId = result.ok ? '' : (result.order?.clientOrderId ?? '');
      const journaled = orders.journal.get(clientOrderId);
      expect(journaled).toMatchObject({ status: 'expired', filledBase: 0n });
      expect(orders.liveOrders()).toEqual([]);
      expect((await readUser(lane().chain, maker.user.userAccount())).openOrders).toEqual([]);
      await orders.stop();
    });

    it('outcome unknown: kept live, not re-sent, then settled filled from the chain', async () => {
      const maker = await lane().venue(mode);
      const orders = await manager(maker, `jit-unknown-${mode}`);
      const taker = await auctionFor(lane(), mode, maker.venue);
      const account = maker.user.userAccount();
      const restore = lane().chain.hideOutcomes(account, { lag: true });
      let clientOrderId: string;
      try {
        const result = await orders.fillTaker(taker, { price: MAKER_BID, baseAmount: TAKER_BASE });
        expect(result).toMatchObject({ ok: false, reason: 'outcome-unknown', order: { status: 'new' } });
        clientOrderId = result.ok ? result.order.clientOrderId : (result.order?.clientOrderId ?? '');
        // The same taker order again: refused by the journal, never sent twice.
        const again = await orders.fillTaker(taker, { price: MAKER_BID, baseAmount: TAKER_BASE });
        expect(again).toMatchObject({ ok: false, reason: 'duplicate-client-id' });
        expect(orders.liveOrders().map((o) => o.clientOrderId)).toContain(clientOrderId);
      } finally {
        restore();
      }
      // The node catches up and answers getTransaction: the journal follows the chain.
      await lane().chain.catchUp(account);
      lane().chain.reveal();
      const settled = await eventually(
        () => {
          const o = orders.journal.get(clientOrderId);
          return o && o.status !== 'new' ? o : undefined;
        },
        10_000,
        'the journal to settle the order',
      );
      expect(settled).toMatchObject({ status: 'filled', filledBase: TAKER_BASE });
      expect(await position(maker)).toBe(TAKER_BASE);
      expect(orders.journal.fillsFor(settled).map((f) => f.baseAmount)).toEqual([TAKER_BASE]);
      await orders.stop();
    });
  });
});
