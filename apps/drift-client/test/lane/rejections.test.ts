/**
 * Real program + order-management: each refusal the fleet names — post-only would cross,
 * insufficient margin, size below minimum, reduce-only increasing — through the real OrderManager
 * and its SQLite journal, and after each one the journal agrees with the chain.
 *
 * Program 2.84 accepts a reduce-only order at placement whatever the position (it checks nothing
 * then); it refuses it when a fill is attempted: the order is cancelled with the explanation
 * `reduceOnlyOrderIncreasedPosition`, which the venue reports as the order's reason.
 */
import { rejectReasonFrom } from '@drift/domain';
import { BN, getLimitOrderParams, PositionDirection } from '@drift-labs/sdk';
import { SendTransactionError, Transaction } from '@solana/web3.js';
import type { OrderManager } from 'order-management';
import { describe, expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { SOL_PERP } from './exchange.js';
import { describeLane, eventually, MODES } from './lane.js';
import { laneOrderManagers } from './lane-orders.js';
import { auctionSeen, MAKER_BID } from './taker.js';

const ONE_SOL = 1_000_000_000n;

describeLane('refusals through order-management', (lane) => {
  const manager = laneOrderManagers(lane);

  describe.each(MODES)('%s', (mode) => {
    it('post-only would cross, insufficient margin, size below minimum: journaled rejected, nothing on chain', async () => {
      const bot = await lane().venue(mode, { usdc: 100_000_000n });
      const orders = await manager(bot, `refusals-${mode}`);
      const limit = { market: 'SOL-PERP', type: 'limit' as const, side: 'buy' as const };
      const cases = [
        // Crosses the AMM's ask: the program refuses a post-only order that would take.
        [
          'cross',
          { ...limit, price: 160_000_000n, baseAmount: ONE_SOL, postOnly: true },
          'post-only-would-cross',
        ],
        // $100 of collateral, 100 SOL ($15,000) at 20% initial margin.
        ['margin', { ...limit, price: 140_000_000n, baseAmount: 100n * ONE_SOL }, 'insufficient-margin'],
        // Below the market's minimum (read from chain): refused before anything is sent.
        ['small', { ...limit, price: 140_000_000n, baseAmount: SOL_PERP.minOrderSize / 2n }, 'invalid-size'],
      ] as const;
      for (const [id, request, reason] of cases) {
        const clientOrderId = `${id}-${mode}`;
        const result = await orders.place({ ...request, clientOrderId });
        expect(result).toMatchObject({ ok: false, reason });
        const chain = await readUser(lane().chain, bot.user.userAccount());
        expect(chain.openOrders).toEqual([]);
        expect(chain.perpBase(SOL_PERP.marketIndex)).toBe(0n);
        const journaled = orders.journal.get(clientOrderId);
        expect(journaled).toMatchObject({ status: 'rejected', filledBase: 0n });
        expect(journaled?.reason).toMatch(new RegExp(`^${reason}: `));
      }
      expect(orders.liveOrders()).toEqual([]);
      expect(await bot.venue.getOpenOrders()).toEqual([]);
      await orders.stop();
    });

    it("size below minimum sent anyway: the program's own error maps to invalid-size", async () => {
      const { venue, user } = await lane().venue(mode);
      const client = venue.driftClient();
      const ix = await client.getPlacePerpOrderIx(
        getLimitOrderParams({
          marketIndex: SOL_PERP.marketIndex,
          direction: PositionDirection.LONG,
          baseAssetAmount: new BN((SOL_PERP.minOrderSize / 2n).toString()),
          price: new BN(140_000_000),
        }),
      );
      const error = await client.connection.sendTransaction(new Transaction().add(ix), [user.keypair]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(SendTransactionError);
      const logs = (error as SendTransactionError).logs ?? [];
      expect(logs.join('\n')).toMatch(/Error Code: OrderAmountTooSmall/);
      expect(rejectReasonFrom(logs.join('\n'))).toBe('invalid-size');
      expect((await readUser(lane().chain, user.userAccount())).openOrders).toEqual([]);
    });

    it('reduce-only with no position: accepted, then cancelled by the program at the fill; journal = chain', async () => {
      const bot = await lane().venue(mode);
      const orders = await manager(bot, `reduce-only-${mode}`);
      const maker = await lane().venue(mode);
      const clientOrderId = `reduce-only-${mode}`;
      let placed: Awaited<ReturnType<OrderManager['place']>> | undefined;
      const auction = await auctionSeen(lane(), mode, maker.venue, bot.venue.authority, async () => {
        placed = await orders.place({
          market: 'SOL-PERP',
          side: 'sell',
          type: 'market',
          price: 140_000_000n,
          baseAmount: ONE_SOL,
          reduceOnly: true,
          clientOrderId,
        });
      });
      // Placement: the program takes it (nothing is checked against the position yet).
      expect(placed).toMatchObject({ ok: true, order: { status: 'open' } });
      const resting = (await readUser(lane().chain, bot.user.userAccount())).account.orders.find(
        (o) => o.orderId === Number(placed?.ok ? placed.order.orderId : -1),
      );
      expect(resting?.reduceOnly).toBe(true);

      // A maker fills its auction: the program cancels the taker's order instead of filling it.
      const fill = await maker.venue.fillTakerOrder(auction, { price: MAKER_BID, baseAmount: ONE_SOL });
      expect(fill).toMatchObject({ ok: true, order: { status: 'cancelled', filledBase: 0n }, fills: [] });
      const chain = await readUser(lane().chain, bot.user.userAccount());
      expect(chain.openOrders).toEqual([]);
      expect(chain.perpBase(SOL_PERP.marketIndex)).toBe(0n);
      expect((await readUser(lane().chain, maker.user.userAccount())).perpBase(SOL_PERP.marketIndex)).toBe(
        0n,
      );

      // The venue names the program's reason; the journal ends the order with it, unfilled.
      const journaled = await eventually(
        () => {
          const o = orders.journal.get(clientOrderId);
          return o?.status === 'cancelled' ? o : undefined;
        },
        5_000,
        'the journal to end the reduce-only order',
      );
      expect(journaled).toMatchObject({ filledBase: 0n, reason: 'reduce-only-increases' });
      expect(orders.journal.fillsFor(journaled)).toEqual([]);
      expect(orders.liveOrders()).toEqual([]);
      expect(
        bot.events.find((e) => e.type === 'order' && e.order.status === 'cancelled' && e.order.reduceOnly),
      ).toMatchObject({ order: { reason: 'reduce-only-increases' } });
      await orders.stop();
    });
  });
});
