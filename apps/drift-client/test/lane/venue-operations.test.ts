/**
 * Real program: every Venue operation of DriftVenue in websocket and polling mode and a transaction
 * that never lands (the program's refusals, through order-management: `rejections.test.ts`).
 */
import { BASE_PRECISION } from '@drift/domain';
import { testFleetConfig } from '@drift/test-support';
import { PerpMarkets } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { createVenue } from '../../src/create-venue.js';
import type { DriftVenue } from '../../src/drift-venue.js';
import { readUser } from './chain-user.js';
import { SOL_PERP } from './exchange.js';
import { describeLane, eventually, laneParams, MODES, USDC_10K } from './lane.js';
import { MAKER_BID, TAKER_BASE, takeMakerOrder } from './taker.js';

const ONE_SOL = 1_000_000_000n;

describeLane('Venue operations', (lane) => {
  it('createVenue with an injected connection and market/oracle configs: markets, oracle, account from chain', async () => {
    const user = await lane().exchange.createUser({ usdc: USDC_10K });
    // The fleet config's RPC endpoint answers nothing and the SDK's devnet SOL-PERP oracle is not
    // on this chain: only the injected connection and configs can connect the venue.
    const config = testFleetConfig({ mode: 'live', wallet: { keypairPath: '/unused' } });
    expect(config.rpc.endpoints.map((e) => e.url)).toEqual(['http://127.0.0.1:1']);
    const perpMarkets = lane().exchange.perpMarketConfigs();
    const devnetOracle = PerpMarkets.devnet.find((m) => m.symbol === 'SOL-PERP')?.oracle;
    expect(perpMarkets[0]?.oracle.toBase58()).not.toBe(devnetOracle?.toBase58());
    const venue = (await createVenue(config, {
      logger: lane().logger,
      keypair: user.keypair,
      connection: lane().connection(),
      perpMarkets,
      quoteSpotMarket: lane().exchange.spotMarketConfigs()[0],
      params: laneParams('websocket'),
    })) as DriftVenue;
    try {
      await venue.connect();
      expect(venue.authority).toBe(user.keypair.publicKey.toBase58());
      expect(venue.markets()).toEqual([
        expect.objectContaining({ symbol: 'SOL-PERP', marketIndex: 0, tickSize: SOL_PERP.tickSize }),
      ]);
      expect((await venue.getOraclePrice('SOL-PERP')).price).toBe(SOL_PERP.price);
      expect(await venue.getAccount()).toMatchObject({ subAccount: 0, equity: USDC_10K, positions: [] });
    } finally {
      await venue.close();
    }
  });

  describe.each(MODES)('%s', (mode) => {
    it('markets, clock, oracle, top of book and the account read from chain', async () => {
      const { venue } = await lane().venue(mode);
      expect(venue.markets()).toEqual([
        expect.objectContaining({
          symbol: 'SOL-PERP',
          marketIndex: 0,
          tickSize: SOL_PERP.tickSize,
          stepSize: SOL_PERP.stepSize,
          minOrderSize: SOL_PERP.minOrderSize,
          initialMarginBps: 2000,
          maintenanceMarginBps: 500,
        }),
      ]);
      expect((await venue.clock()).slot).toBe(lane().chain.rpc.slot);
      expect((await venue.getOraclePrice('SOL-PERP')).price).toBe(SOL_PERP.price);
      const book = await venue.getTopOfBook('SOL-PERP');
      expect(book.bestBid?.price).toBeLessThanOrEqual(SOL_PERP.price);
      expect(book.bestAsk?.price).toBeGreaterThanOrEqual(SOL_PERP.price);
      const account = await venue.getAccount();
      expect(account).toMatchObject({
        subAccount: 0,
        collateral: 10_000_000_000n,
        equity: 10_000_000_000n,
        positions: [],
      });
      expect(await venue.subAccounts()).toEqual([0]);
    });

    it('the oracle as published: price and slot advance (the staleness clock)', async () => {
      const { venue } = await lane().venue(mode);
      const before = await venue.getOraclePrice('SOL-PERP');
      await lane().exchange.setOraclePrice(151_000_000n);
      // The slot may move on before the new price is read (polling under load): wait for the price.
      const after = await eventually(async () => {
        const oracle = await venue.getOraclePrice('SOL-PERP');
        return oracle.price === 151_000_000n ? oracle : undefined;
      });
      expect(after.slot).toBeGreaterThan(before.slot);
      expect(after.slot).toBeLessThanOrEqual(lane().chain.rpc.slot);
      expect(after.ts).toBeGreaterThan(before.ts);
      await lane().exchange.setOraclePrice(SOL_PERP.price);
    });

    it('a venue on sub-account 1 following 0: both loaded when connect returns, its orders there', async () => {
      const user = await lane().exchange.createUser({ usdc: USDC_10K, subAccounts: [0, 1] });
      const first = await lane().venue(mode, { user, subAccount: 1 });
      const placed = await first.venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        postOnly: true,
        price: 140_000_000n,
        baseAmount: ONE_SOL,
      });
      expect(placed).toMatchObject({ ok: true, order: { subAccount: 1, status: 'open' } });
      const { venue } = await lane().venue(mode, { user, subAccount: 1, subAccounts: [0] });
      expect((await venue.getOpenOrders()).map((o) => o.price)).toEqual([140_000_000n]);
      expect(await venue.getAccount(0)).toMatchObject({ subAccount: 0, equity: USDC_10K });
      expect(await venue.getAccount(1)).toMatchObject({ subAccount: 1, equity: USDC_10K });
    });

    it('place post-only, modify (new order id, same userOrderId), cancel, cancel-all', async () => {
      const { venue } = await lane().venue(mode);
      const bid = { market: 'SOL-PERP', side: 'buy' as const, type: 'limit' as const, postOnly: true };
      const placed = await venue.placeOrder({
        ...bid,
        price: 140_000_000n,
        baseAmount: ONE_SOL,
        clientOrderId: 'a',
      });
      expect(placed).toMatchObject({
        ok: true,
        order: { status: 'open', price: 140_000_000n, clientOrderId: 'a' },
      });
      if (!placed.ok) return;
      const modified = await venue.modifyOrder(placed.order.orderId, { price: 141_000_000n });
      expect(modified).toMatchObject({ ok: true, order: { status: 'open', price: 141_000_000n } });
      if (!modified.ok) return;
      expect(modified.order.orderId).not.toBe(placed.order.orderId);
      expect(modified.order.userOrderId).toBe(placed.order.userOrderId);
      expect((await venue.getOpenOrders()).map((o) => o.orderId)).toEqual([modified.order.orderId]);
      expect(await venue.cancelOrder(modified.order.orderId)).toBe(true);
      expect(await venue.cancelOrder(modified.order.orderId)).toBe(false);
      expect(await venue.getOpenOrders()).toEqual([]);
      await venue.placeOrder({ ...bid, price: 139_000_000n, baseAmount: ONE_SOL });
      await venue.placeOrder({ ...bid, price: 138_000_000n, baseAmount: ONE_SOL });
      expect(await venue.cancelAllOrders()).toBe(2);
      expect(await venue.getOpenOrders()).toEqual([]);
    });

    it('maxTs reaches the program: kept on the order, moved by modify; a past one refused', async () => {
      const { venue } = await lane().venue(mode);
      const bid = { market: 'SOL-PERP', side: 'buy' as const, type: 'limit' as const, postOnly: true };
      // Far ahead of any clock the bank runs on (2100-01-01), in whole seconds.
      const later = Date.UTC(2100, 0, 1);
      const placed = await venue.placeOrder({
        ...bid,
        price: 140_000_000n,
        baseAmount: ONE_SOL,
        maxTs: later,
      });
      expect(placed).toMatchObject({ ok: true, order: { status: 'open', maxTs: later } });
      if (!placed.ok) return;
      const moved = await venue.modifyOrder(placed.order.orderId, { maxTs: later + 60_000 });
      expect(moved).toMatchObject({ ok: true, order: { price: 140_000_000n, maxTs: later + 60_000 } });
      expect((await venue.getOpenOrders()).map((o) => o.maxTs)).toEqual([later + 60_000]);
      // A maxTs already past (1970): 2.84 would land the transaction and skip the order (no
      // error); the venue refuses it before sending, so it never reads as an unknown outcome.
      const sent = lane().chain.rpc.transactions.length;
      expect(
        await venue.placeOrder({ ...bid, price: 139_000_000n, baseAmount: ONE_SOL, maxTs: 1_000 }),
      ).toMatchObject({ ok: false, reason: 'order-expired' });
      expect(lane().chain.rpc.transactions.length).toBe(sent);
      expect(await venue.getOpenOrders()).toHaveLength(1);
      expect(await venue.cancelAllOrders()).toBe(1);
    });

    it('a maker fill on chain: getFills and getRecentTrades report it at its on-chain price and size', async () => {
      const maker = await lane().venue(mode);
      const placed = await maker.venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        postOnly: true,
        price: MAKER_BID,
        baseAmount: TAKER_BASE,
        clientOrderId: 'fill-me',
      });
      if (!placed.ok) throw new Error(`maker bid refused: ${placed.reason} ${placed.message}`);
      await takeMakerOrder(
        lane(),
        mode,
        { user: maker.user, orderId: Number(placed.order.orderId) },
        TAKER_BASE,
      );

      // What the program did, from the maker's User account alone: the position it opened.
      const position = (await readUser(lane().chain, maker.user.userAccount())).account.perpPositions.find(
        (p) => p.marketIndex === 0,
      );
      const chainBase = BigInt(position?.baseAssetAmount.toString() ?? '0');
      const chainQuote = -BigInt(position?.quoteEntryAmount.toString() ?? '0');
      const chainFee = BigInt(position?.quoteEntryAmount.sub(position.quoteAssetAmount).toString() ?? '0');
      expect(chainBase).toBe(TAKER_BASE);
      expect((chainQuote * BASE_PRECISION) % chainBase).toBe(0n);
      const chainPrice = (chainQuote * BASE_PRECISION) / chainBase;

      const fills = await eventually(
        async () => {
          const found = await maker.venue.getFills();
          return found.length > 0 ? found : undefined;
        },
        5_000,
        'the fill in getFills',
      );
      expect(fills).toEqual([
        expect.objectContaining({
          orderId: placed.order.orderId,
          clientOrderId: 'fill-me',
          subAccount: 0,
          market: 'SOL-PERP',
          side: 'buy',
          price: chainPrice,
          baseAmount: chainBase,
          quoteAmount: chainQuote,
          fee: chainFee,
          liquidity: 'maker',
        }),
      ]);
      // A maker fills at its own limit price.
      expect(chainPrice).toBe(MAKER_BID);
      const [fill] = fills;
      expect(await maker.venue.getFills({ market: 'SOL-PERP', sinceTs: fill?.ts })).toEqual(fills);
      expect(await maker.venue.getFills({ sinceTs: (fill?.ts ?? 0) + 1 })).toEqual([]);
      // The trade as the market saw it: the taker sold.
      expect(await maker.venue.getRecentTrades('SOL-PERP')).toEqual([
        { market: 'SOL-PERP', price: chainPrice, baseAmount: chainBase, side: 'sell', ts: fill?.ts },
      ]);
    });

    it('a transaction that never lands expires: venue-error naming it, nothing on chain', async () => {
      const { venue } = await lane().venue(mode);
      const result = await lane().chain.neverLanding(() =>
        venue.placeOrder({
          market: 'SOL-PERP',
          side: 'buy',
          type: 'limit',
          price: 140_000_000n,
          baseAmount: ONE_SOL,
          postOnly: true,
        }),
      );
      expect(result).toMatchObject({ ok: false, reason: 'venue-error' });
      if (!result.ok) expect(result.message).toMatch(/expired unconfirmed/);
      await venue.driftClient().getUser().fetchAccounts();
      expect(await venue.getOpenOrders()).toEqual([]);
    });
  });
});
