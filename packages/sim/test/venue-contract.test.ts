/**
 * One contract for `SimVenue`, run against the engine in-process and against the server over
 * WebSocket: both modes must behave the same. The test drives the engine's clock directly.
 */
import type { TakerOrder, VenueEvent } from '@drift/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SimEngine } from '../src/engine.js';
import { startSimServer } from '../src/server.js';
import { verifyTakerOrder } from '../src/signing.js';
import { SimTakerStream } from '../src/taker-stream.js';
import { SimVenue } from '../src/venue.js';
import { base, flatEngine, px, usd } from './helpers.js';

interface Harness {
  engine: SimEngine;
  venue(subAccount: number, options?: { allSubAccounts?: boolean }): Promise<SimVenue>;
  takerStream(): Promise<SimTakerStream>;
  close(): Promise<void>;
}

type Mode = (engine: SimEngine) => Promise<Harness>;

const modes: Record<string, Mode> = {
  embedded: async (engine) => {
    const closers: (() => Promise<void>)[] = [];
    return {
      engine,
      venue: async (sub, options) => {
        const venue = SimVenue.embedded(engine, sub, options);
        await venue.connect();
        closers.push(() => venue.close());
        return venue;
      },
      takerStream: async () => {
        const stream = SimTakerStream.embedded(engine);
        closers.push(() => stream.close());
        return stream;
      },
      close: async () => {
        for (const close of closers) await close();
      },
    };
  },
  server: async (engine) => {
    const server = await startSimServer({ port: 0, engine });
    const closers: (() => Promise<void>)[] = [];
    return {
      engine,
      venue: async (sub, options) => {
        const venue = SimVenue.remote(server.url, sub, options);
        await venue.connect();
        closers.push(() => venue.close());
        return venue;
      },
      takerStream: async () => {
        const stream = SimTakerStream.remote(server.url);
        await stream.ready();
        closers.push(() => stream.close());
        return stream;
      },
      close: async () => {
        for (const close of closers) await close();
        await server.close();
      },
    };
  },
};

const limit = (side: 'buy' | 'sell', price: string, size: string, extra: object = {}) => ({
  market: 'SOL-PERP',
  side,
  type: 'limit' as const,
  price: px(price),
  baseAmount: base(size),
  ...extra,
});

/** Collects a venue's events; remote ones arrive asynchronously. */
function record(venue: SimVenue): VenueEvent[] {
  const events: VenueEvent[] = [];
  venue.subscribe((event) => events.push(event));
  return events;
}

for (const [mode, start] of Object.entries(modes)) {
  describe(`SimVenue contract (${mode})`, () => {
    let harness: Harness | undefined;
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });
    const setup = async (overrides = {}) => {
      harness = await start(flatEngine(overrides));
      return harness;
    };

    it('reports markets, clock and oracle, and pushes oracle ticks', async () => {
      const h = await setup();
      const venue = await h.venue(1);
      expect(venue.kind).toBe('sim');
      expect(venue.markets().map((m) => m.symbol)).toEqual(['SOL-PERP']);
      const events = record(venue);
      h.engine.advanceSlots(3);
      expect(await venue.clock()).toEqual({ slot: 3, ts: h.engine.clock().ts });
      expect(await venue.getOraclePrice('SOL-PERP')).toMatchObject({
        market: 'SOL-PERP',
        price: px('150'),
        slot: 3,
      });
      await vi.waitFor(() => expect(events.filter((e) => e.type === 'oracle')).toHaveLength(3));
      await expect(venue.getOraclePrice('DOGE-PERP')).rejects.toThrow(/DOGE-PERP/);
    });

    it('two sub-accounts share one book: a resting order is filled by the other, each sees its own fill', async () => {
      const h = await setup({ takerFeeRate: 350n, makerFeeRate: -20n });
      const maker = await h.venue(1);
      const taker = await h.venue(2);
      const makerEvents = record(maker);
      const takerEvents = record(taker);
      const resting = await maker.placeOrder(limit('sell', '150', '2', { clientOrderId: 'mm-1' }));
      expect(resting).toMatchObject({
        ok: true,
        order: { status: 'open', subAccount: 1, clientOrderId: 'mm-1' },
      });
      expect(await taker.getTopOfBook('SOL-PERP')).toEqual({
        market: 'SOL-PERP',
        bestAsk: { price: px('150'), baseAmount: base('2') },
      });
      const taken = await taker.placeOrder(limit('buy', '151', '1'));
      if (!taken.ok) throw new Error(taken.message);
      expect(taken.fills).toEqual([
        expect.objectContaining({
          price: px('150'),
          baseAmount: base('1'),
          quoteAmount: usd('150'),
          fee: 52_500n,
        }),
      ]);
      await vi.waitFor(() => {
        expect(makerEvents.filter((e) => e.type === 'fill')).toHaveLength(1);
        expect(takerEvents.filter((e) => e.type === 'fill')).toHaveLength(1);
      });
      const makerFill = makerEvents.find((e) => e.type === 'fill');
      expect(makerFill).toMatchObject({
        fill: { subAccount: 1, clientOrderId: 'mm-1', fee: -3_000n, liquidity: 'maker' },
      });
      expect(takerEvents.every((e) => e.type !== 'fill' || e.fill.subAccount === 2)).toBe(true);
      expect(await maker.getPositions()).toEqual([
        {
          subAccount: 1,
          market: 'SOL-PERP',
          baseAmount: -base('1'),
          quoteEntryAmount: -usd('150'),
          entryPrice: px('150'),
          realizedPnl: 3_000n,
          unrealizedPnl: 0n,
        },
      ]);
      const account = await taker.getAccount();
      expect(account).toMatchObject({
        subAccount: 2,
        collateral: usd('100000') - 52_500n,
        grossNotional: usd('150'),
        initialMarginRequirement: usd('15'),
      });
      expect(await taker.getRecentTrades('SOL-PERP')).toEqual([
        { market: 'SOL-PERP', price: px('150'), baseAmount: base('1'), side: 'buy', ts: h.engine.clock().ts },
      ]);
      expect((await maker.getOpenOrders()).map((o) => [o.clientOrderId, o.filledBase])).toEqual([
        ['mm-1', base('1')],
      ]);
      expect(await taker.getOpenOrders()).toEqual([]);
      expect((await taker.subAccounts()).sort()).toEqual([1, 2]);
    });

    it('rejects bad orders with a typed reason', async () => {
      const h = await setup({ subAccounts: { 1: usd('100') } });
      const venue = await h.venue(1);
      expect(await venue.placeOrder({ ...limit('buy', '150', '1'), market: 'X-PERP' })).toMatchObject({
        ok: false,
        reason: 'unknown-market',
      });
      expect(await venue.placeOrder({ ...limit('buy', '150', '1'), price: 150_000_001n })).toMatchObject({
        ok: false,
        reason: 'price-off-tick',
      });
      expect(await venue.placeOrder({ ...limit('buy', '150', '1'), baseAmount: 0n })).toMatchObject({
        ok: false,
        reason: 'invalid-size',
      });
      expect(await venue.placeOrder(limit('buy', '150', '7'))).toMatchObject({
        ok: false,
        reason: 'insufficient-margin',
      });
      expect(await venue.placeOrder(limit('sell', '150', '1', { reduceOnly: true }))).toMatchObject({
        ok: false,
        reason: 'reduce-only-increases',
      });
      expect(await venue.getOpenOrders()).toEqual([]);
      expect((await venue.getAccount()).collateral).toBe(usd('100'));
    });

    it('cancels in scope only, modifies, and lists fills since a time', async () => {
      const h = await setup();
      const bot = await h.venue(1);
      const other = await h.venue(2);
      const risk = await h.venue(0, { allSubAccounts: true });
      const a = await bot.placeOrder(limit('buy', '140', '1'));
      const b = await bot.placeOrder(limit('buy', '141', '1'));
      await other.placeOrder(limit('sell', '160', '1'));
      if (!a.ok || !b.ok) throw new Error('rejected');
      expect(await other.cancelOrder(a.order.orderId)).toBe(false); // not its order
      expect(await bot.cancelOrder(a.order.orderId)).toBe(true);
      expect(await bot.cancelOrder(a.order.orderId)).toBe(false); // already gone
      const moved = await bot.modifyOrder(b.order.orderId, { price: px('142'), baseAmount: base('2') });
      expect(moved).toMatchObject({ ok: true, order: { price: px('142'), baseAmount: base('2') } });
      expect(await bot.modifyOrder('nope', { price: px('1') })).toMatchObject({
        ok: false,
        reason: 'order-not-found',
      });
      // The risk manager cancels another sub-account's orders through an explicit scope.
      expect(await risk.cancelAllOrders({ subAccount: 2 })).toBe(1);
      expect(await other.getOpenOrders()).toEqual([]);
      h.engine.advanceSlots(5);
      const since = h.engine.clock().ts;
      await other.placeOrder(limit('sell', '142', '1'));
      h.engine.advanceSlots(1);
      await other.placeOrder(limit('sell', '142', '1'));
      expect((await bot.getFills()).length).toBe(2);
      expect((await bot.getFills({ sinceTs: since + 1 })).length).toBe(1);
      expect((await bot.getOpenOrders()).length).toBe(0);
    });

    it('fills a market order inside its auction at the maker price, and a signed stream order', async () => {
      const h = await setup({ takerFlow: { ordersPerMinute: 150 } });
      const maker = await h.venue(1);
      const taker = await h.venue(2);
      const stream = await h.takerStream();
      const seen: TakerOrder[] = [];
      stream.subscribe(['SOL-PERP'], (order) => seen.push(order));
      await stream.ready();
      const placed = await taker.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'market',
        baseAmount: base('1'),
      });
      if (!placed.ok) throw new Error(placed.message);
      await vi.waitFor(() => expect(seen.some((o) => o.source === 'auction')).toBe(true));
      const auction = seen.find((o) => o.source === 'auction')!;
      expect(auction).toMatchObject({ uuid: placed.order.orderId, side: 'buy', baseAmount: base('1') });
      h.engine.advanceSlots(2); // 149.97 + 0.48 * 2/10 = 150.066
      const made = await maker.fillTakerOrder(auction, { price: px('150.066'), baseAmount: base('1') });
      expect(made).toMatchObject({
        ok: true,
        fills: [{ price: px('150.066'), liquidity: 'maker', subAccount: 1 }],
      });
      expect((await taker.getPositions())[0]?.baseAmount).toBe(base('1'));

      await vi.waitFor(() => expect(seen.some((o) => o.source === 'swift')).toBe(true));
      const signed = seen.find((o) => o.source === 'swift')!;
      expect(verifyTakerOrder(signed)).toBe(true);
      expect(verifyTakerOrder({ ...signed, baseAmount: signed.baseAmount * 2n })).toBe(false);
      const price = signed.auction.startPrice; // at the start the auction price is the start price
      const filled = await maker.fillTakerOrder(signed, { price, baseAmount: signed.baseAmount });
      expect(filled).toMatchObject({ ok: true, fills: [{ baseAmount: signed.baseAmount, price }] });
      const again = await maker.fillTakerOrder(signed, { price, baseAmount: signed.baseAmount });
      expect(again.ok).toBe(false);
    });

    it('delivers halts and refuses orders while halted', async () => {
      const h = await setup();
      const venue = await h.venue(1);
      const events = record(venue);
      h.engine.halt('kill switch');
      await vi.waitFor(() => expect(events).toContainEqual({ type: 'halt', reason: 'kill switch' }));
      expect(await venue.placeOrder(limit('buy', '140', '1'))).toMatchObject({ ok: false, reason: 'halted' });
    });
  });
}
