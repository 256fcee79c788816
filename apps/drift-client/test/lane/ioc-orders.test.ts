/**
 * Real program: an IOC limit order (what hedge-bot and trend-bot send with `orderType: limit`) is
 * placed and taken in one `placeAndTakePerpOrder` (2.84 refuses the IOC flag on a plain
 * placement): filled at once where it crosses, its remainder cancelled by the program, nothing
 * left resting. The venue reports what the chain did; order-management journals the same.
 *
 * Two exchanges: one whose State lets the AMM fill a new taker order at once
 * (`min_perp_auction_duration` 0), and one as 2.84's `initialize` leaves it (10 slots), where a
 * place-and-take with no maker has nothing to take and the program refuses it (`ImpossibleFill`).
 */
import type { OrderRequest } from '@drift/domain';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { SOL_PERP } from './exchange.js';
import { describeLane, type LaneVenue, MODES } from './lane.js';
import { laneOrderManagers } from './lane-orders.js';

const ONE_SOL = 1_000_000_000n;
/** Above the AMM's ask ($150 oracle): crosses. */
const CROSSING_BID = 155_000_000n;
/** Below the AMM's bid: nothing to take. */
const AWAY_BID = 140_000_000n;

const iocBuy = (price: bigint, clientOrderId?: string): OrderRequest => ({
  market: 'SOL-PERP',
  side: 'buy',
  type: 'limit',
  price,
  baseAmount: ONE_SOL,
  ioc: true,
  ...(clientOrderId !== undefined && { clientOrderId }),
});

describeLane('IOC limit orders, the AMM available at once', (lane) => {
  const manager = laneOrderManagers(lane);
  beforeAll(async () => {
    await lane().exchange.setMinPerpAuctionDuration(0);
  });
  // The AMM fills only on a fresh oracle (a few slots): published now, as a live feed would be.
  beforeEach(async () => {
    await lane().exchange.setOraclePrice(SOL_PERP.price);
  });

  const chainOf = (bot: LaneVenue) => readUser(lane().chain, bot.user.userAccount());

  describe.each(MODES)('%s', (mode) => {
    it('an IOC buy crossing the AMM fills at once: position and fills on chain = what the venue reported', async () => {
      const bot = await lane().venue(mode);
      const result = await bot.venue.placeOrder(iocBuy(CROSSING_BID, 'ioc-cross'));
      expect(result).toMatchObject({
        ok: true,
        order: { status: 'filled', filledBase: ONE_SOL, ioc: true, clientOrderId: 'ioc-cross' },
      });
      if (!result.ok) return;
      expect(result.fills.length).toBeGreaterThan(0);
      for (const fill of result.fills) {
        expect(fill).toMatchObject({ orderId: result.order.orderId, side: 'buy', liquidity: 'taker' });
        expect(fill.price).toBeGreaterThanOrEqual(SOL_PERP.price);
        expect(fill.price).toBeLessThanOrEqual(CROSSING_BID);
      }
      expect(result.fills.reduce((sum, f) => sum + f.baseAmount, 0n)).toBe(ONE_SOL);
      const chain = await chainOf(bot);
      expect(chain.openOrders).toEqual([]);
      expect(chain.perpBase(SOL_PERP.marketIndex)).toBe(ONE_SOL);
      // The quote the position was entered at on chain is what the reported fills add up to.
      const entry = chain.account.perpPositions.find((p) => p.marketIndex === SOL_PERP.marketIndex);
      expect(-BigInt(entry?.quoteEntryAmount.toString() ?? '0')).toBe(
        result.fills.reduce((sum, f) => sum + (f.price * f.baseAmount) / ONE_SOL, 0n),
      );
      expect((await bot.venue.getPositions())[0]?.baseAmount).toBe(ONE_SOL);
      expect(await bot.venue.getOpenOrders()).toEqual([]);
    });

    it('an IOC away from the market: placed, nothing filled, cancelled by the program; nothing on chain', async () => {
      const bot = await lane().venue(mode);
      const result = await bot.venue.placeOrder(iocBuy(AWAY_BID));
      expect(result).toMatchObject({ ok: true, order: { status: 'cancelled', filledBase: 0n }, fills: [] });
      if (!result.ok) return;
      // A real order of the program (ids from 1), not one the venue made up.
      expect(Number(result.order.orderId)).toBeGreaterThan(0);
      const chain = await chainOf(bot);
      expect(chain.openOrders).toEqual([]);
      expect(chain.perpBase(SOL_PERP.marketIndex)).toBe(0n);
      expect(chain.account.nextOrderId).toBe(Number(result.order.orderId) + 1);
      expect(await bot.venue.getOpenOrders()).toEqual([]);
    });

    it('through order-management: the journal agrees with the chain (filled, then cancelled)', async () => {
      const bot = await lane().venue(mode);
      const orders = await manager(bot, `ioc-${mode}`);
      const filled = await orders.place(iocBuy(CROSSING_BID));
      expect(filled).toMatchObject({ ok: true, order: { status: 'filled', filledBase: ONE_SOL } });
      const missed = await orders.place(iocBuy(AWAY_BID));
      expect(missed).toMatchObject({ ok: true, order: { status: 'cancelled', filledBase: 0n } });
      if (!filled.ok || !missed.ok) return;
      const chain = await chainOf(bot);
      expect(chain.openOrders).toEqual([]);
      const journaled = orders.journal.get(filled.order.clientOrderId);
      expect(journaled).toMatchObject({ status: 'filled', filledBase: chain.perpBase(SOL_PERP.marketIndex) });
      if (!journaled) return;
      expect(orders.journal.fillsFor(journaled).reduce((sum, f) => sum + f.baseAmount, 0n)).toBe(
        chain.perpBase(SOL_PERP.marketIndex),
      );
      expect(orders.journal.get(missed.order.clientOrderId)).toMatchObject({
        status: 'cancelled',
        filledBase: 0n,
      });
      expect(orders.liveOrders()).toEqual([]);
      await orders.stop();
    });
  });
});

describeLane('IOC limit orders, the AMM not yet available to a new order (2.84 default)', (lane) => {
  const manager = laneOrderManagers(lane);

  describe.each(MODES)('%s', (mode) => {
    it('an IOC with nothing to take at once (ImpossibleFill): cancelled unfilled, nothing on chain, journal the same', async () => {
      const bot = await lane().venue(mode);
      const before = await readUser(lane().chain, bot.user.userAccount());
      const direct = await bot.venue.placeOrder(iocBuy(CROSSING_BID));
      expect(direct).toMatchObject({
        ok: true,
        order: { status: 'cancelled', filledBase: 0n, ioc: true },
        fills: [],
      });
      const orders = await manager(bot, `ioc-impossible-${mode}`);
      const managed = await orders.place(iocBuy(CROSSING_BID));
      expect(managed).toMatchObject({ ok: true, order: { status: 'cancelled', filledBase: 0n } });
      if (!managed.ok) return;
      expect(orders.journal.get(managed.order.clientOrderId)).toMatchObject({
        status: 'cancelled',
        filledBase: 0n,
      });
      expect(orders.liveOrders()).toEqual([]);
      const after = await readUser(lane().chain, bot.user.userAccount());
      expect(after.openOrders).toEqual([]);
      expect(after.perpBase(SOL_PERP.marketIndex)).toBe(0n);
      // No order was ever placed: the program refused both instructions whole.
      expect(after.account.nextOrderId).toBe(before.account.nextOrderId);
      await orders.stop();
    });
  });
});
