/**
 * DriftVenue end to end, offline: the SDK's real DriftClient, User, EventSubscriber and
 * PriorityFeeSubscriber against a JSON-RPC server on 127.0.0.1 serving accounts encoded with the
 * SDK's coder. The test plays the program: it decodes each transaction's instructions with the
 * SDK's IDL coder, asserts them, and writes the resulting accounts and event logs back.
 */
import net from 'node:net';
import type { Fill, TakerOrder, VenueEvent } from '@drift/domain';
import { recordingLogger, testFleetConfig } from '@drift/test-support';
import {
  BN,
  DriftClient,
  generateSignedMsgUuid,
  getMarketOrderParams,
  getOrderParams,
  getPerpMarketPublicKeySync,
  getUserAccountPublicKeySync,
  getUserStatsAccountPublicKey,
  MarketType,
  PerpMarkets,
  PositionDirection,
  Wallet,
} from '@drift-labs/sdk';
import { Keypair, PublicKey } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuctionTakerSource } from '../src/auction-taker-source.js';
import { createVenue } from '../src/create-venue.js';
import { DriftVenue, type DriftVenueOptions } from '../src/drift-venue.js';
import { stopEmbeddedEngine } from '../src/paper.js';
import { DEFAULT_PARAMS, type DriftClientParams } from '../src/params.js';
import { offlineDriftClient } from '../src/swift-message.js';
import { DriftChain, type OrderSetup, PROGRAM_ID } from './support/drift-chain.js';
import { JsonRpcServer } from './support/json-rpc-server.js';
import { pushMakerFill } from './support/maker-fill.js';
import { seedChain } from './support/seed.js';
import { venueOnTestChain } from './support/test-venue.js';

const params: DriftClientParams = {
  ...DEFAULT_PARAMS,
  subscription: 'polling',
  events: 'polling',
  pollingIntervalMs: 100,
  priorityFee: { maxMicroLamports: 5_000, multiplier: 1, refreshMs: 60_000 },
  confirm: { resendIntervalMs: 30, pollIntervalMs: 10, lookupAttempts: 3 },
};

/** Every remote host a socket connected to during the suite. */
const contacted = new Set<string>();
const originalConnect = net.Socket.prototype.connect;

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect passes its normalized arguments as one array: [options, callback].
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (typeof first === 'object' && first !== null)
      contacted.add(String((first as { host?: string }).host ?? 'localhost'));
    else if (typeof args[1] === 'string') contacted.add(args[1]);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
});

afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  // Sockets were opened (the hook works), and only to the loopback test servers.
  expect(contacted.has('127.0.0.1')).toBe(true);
  expect([...contacted].filter((h) => h !== '127.0.0.1')).toEqual([]);
});

let rpc: JsonRpcServer;
let chain: DriftChain;
let authority: Keypair;
let venue: DriftVenue;
let events: VenueEvent[];
const logger = recordingLogger();
const API_KEY = 'sk-test-4f9b1c';

beforeEach(async () => {
  rpc = new JsonRpcServer();
  await rpc.start();
  chain = new DriftChain(rpc);
  authority = Keypair.generate();
  await seedChain(chain, authority);
  rpc.priorityFees = [2_000, 90_000, 1_000];
  venue = new DriftVenue({
    env: 'devnet',
    rpcUrl: `${rpc.url}/?api-key=${API_KEY}`,
    wsUrl: rpc.url.replace('http', 'ws'),
    keypair: authority,
    markets: ['SOL-PERP', 'BTC-PERP'],
    subAccount: 0,
    params,
    logger,
  });
  events = [];
  venue.subscribe((e) => events.push(e));
  await venue.connect();
});

afterEach(async () => {
  await venue.close();
  await rpc.stop();
  // Neither the key nor the RPC URL's API key reached a log line.
  const logged = JSON.stringify(logger.lines, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  expect(logged).not.toContain(Buffer.from(authority.secretKey).toString('base64'));
  expect(logged).not.toContain(JSON.stringify([...authority.secretKey]).slice(1, 40));
  expect(logged).not.toContain(API_KEY);
});

/** Another venue of the same authority on the same test chain (SOL-PERP, sub-account 0 unless told). */
function secondVenue(options: Partial<DriftVenueOptions>): DriftVenue {
  return venueOnTestChain(rpc, authority, { params, logger, ...options });
}

/** Plays the program for place/cancel: writes orders into the User account and emits OrderRecords. */
function programPlacesOrders(opts: { fillImmediately?: boolean } = {}): void {
  rpc.onTransaction = (wire) => {
    const { drift } = chain.decodeTransaction(wire);
    const logs: string[] = [];
    for (const ix of drift) {
      const user = chain.user(authority.publicKey, 0);
      // An IOC limit order comes as place-and-take (2.84 refuses the IOC flag on placePerpOrder).
      if (ix.name === 'placePerpOrder' || ix.name === 'placeAndTakePerpOrder') {
        const p = ix.data.params as Record<string, unknown>;
        const orderId = user.nextOrderId;
        const order = {
          ...(user.orders.find((o) => 'init' in (o.status as object)) as Record<string, unknown>),
          status: opts.fillImmediately ? { filled: {} } : { open: {} },
          orderType: p.orderType,
          marketType: p.marketType,
          slot: new BN(rpc.slot),
          orderId,
          userOrderId: p.userOrderId,
          marketIndex: p.marketIndex,
          price: p.price,
          baseAssetAmount: p.baseAssetAmount,
          baseAssetAmountFilled: opts.fillImmediately ? p.baseAssetAmount : new BN(0),
          direction: p.direction,
          reduceOnly: p.reduceOnly,
          postOnly: 'mustPostOnly' in (p.postOnly as object),
          immediateOrCancel: ((p.bitFlags as number) & 1) === 1,
          maxTs: p.maxTs ?? new BN(0),
        };
        if (!opts.fillImmediately) {
          const slot = user.orders.findIndex((o) => 'init' in (o.status as object));
          user.orders[slot] = order;
        }
        user.nextOrderId = orderId + 1;
        chain.putUser(authority.publicKey, 0, user);
        const userKey = getUserAccountPublicKeySync(PROGRAM_ID, authority.publicKey, 0);
        logs.push(chain.eventLog('OrderRecord', { ts: new BN(1_700_000_000), user: userKey, order }));
        if (opts.fillImmediately) {
          logs.push(
            chain.eventLog('OrderActionRecord', {
              ts: new BN(1_700_000_001),
              action: { fill: {} },
              marketIndex: p.marketIndex,
              marketType: { perp: {} },
              fillRecordId: new BN(77),
              baseAssetAmountFilled: p.baseAssetAmount,
              quoteAssetAmountFilled: new BN(150_000_000),
              takerFee: new BN(52_500),
              taker: userKey,
              takerOrderId: orderId,
              takerOrderDirection: p.direction,
              oraclePrice: new BN(150_000_000),
            }),
          );
        }
      }
      if (ix.name === 'placeAndMakeSignedMsgPerpOrder' || ix.name === 'placeAndMakePerpOrder') {
        const p = ix.data.params as Record<string, unknown>;
        const orderId = user.nextOrderId;
        user.nextOrderId = orderId + 1;
        chain.putUser(authority.publicKey, 0, user);
        const userKey = getUserAccountPublicKeySync(PROGRAM_ID, authority.publicKey, 0);
        const order = {
          ...(user.orders.find((o) => 'init' in (o.status as object)) as Record<string, unknown>),
          status: { filled: {} },
          orderType: p.orderType,
          marketType: p.marketType,
          orderId,
          userOrderId: p.userOrderId,
          marketIndex: p.marketIndex,
          price: p.price,
          baseAssetAmount: p.baseAssetAmount,
          baseAssetAmountFilled: p.baseAssetAmount,
          direction: p.direction,
          postOnly: true,
          immediateOrCancel: true,
        };
        logs.push(chain.eventLog('OrderRecord', { ts: new BN(1_700_000_000), user: userKey, order }));
        logs.push(
          chain.eventLog('OrderActionRecord', {
            ts: new BN(1_700_000_002),
            action: { fill: {} },
            marketIndex: p.marketIndex,
            marketType: { perp: {} },
            fillRecordId: new BN(78),
            baseAssetAmountFilled: p.baseAssetAmount,
            quoteAssetAmountFilled: new BN(
              (
                (BigInt((p.price as BN).toString()) * BigInt((p.baseAssetAmount as BN).toString())) /
                1_000_000_000n
              ).toString(),
            ),
            makerFee: new BN(-500),
            maker: userKey,
            makerOrderId: orderId,
            makerOrderDirection: p.direction,
            taker: new PublicKey(ix.keys[3] ?? PublicKey.default),
            takerOrderId: 1,
            takerOrderDirection: { long: {} },
            oraclePrice: new BN(150_000_000),
          }),
        );
      }
      if (ix.name === 'modifyOrder') {
        // The program cancels the order and places its replacement under the same userOrderId.
        const m = ix.data.modifyOrderParams as Record<string, unknown>;
        const slot = user.orders.findIndex(
          (o) => o.orderId === ix.data.orderId && 'open' in (o.status as object),
        );
        const old = user.orders[slot] as Record<string, unknown>;
        user.orders[slot] = {
          ...old,
          orderId: user.nextOrderId,
          price: m.price ?? old.price,
          baseAssetAmount: m.baseAssetAmount ?? old.baseAssetAmount,
          maxTs: m.maxTs ?? old.maxTs,
        };
        user.nextOrderId += 1;
        chain.putUser(authority.publicKey, 0, user);
      }
      if (ix.name === 'cancelOrders') {
        user.orders = user.orders.map((o) =>
          'open' in (o.status as object) &&
          (ix.data.marketIndex === null || o.marketIndex === ix.data.marketIndex)
            ? { ...o, status: { canceled: {} } }
            : o,
        );
        chain.putUser(authority.publicKey, 0, user);
      }
      if (ix.name === 'cancelOrder') {
        const id = ix.data.orderId as number;
        const slot = user.orders.findIndex((o) => o.orderId === id && 'open' in (o.status as object));
        user.orders[slot] = { ...(user.orders[slot] as Record<string, unknown>), status: { canceled: {} } };
        chain.putUser(authority.publicKey, 0, user);
      }
    }
    return { logs: chain.programLogs(logs) };
  };
}

describe('DriftVenue over the SDK, offline', () => {
  it('subscribes by polling and reads markets and oracles from SDK-encoded accounts', async () => {
    expect(venue.markets()).toEqual([
      {
        symbol: 'SOL-PERP',
        marketIndex: 0,
        tickSize: 100n,
        stepSize: 10_000_000n,
        minOrderSize: 10_000_000n,
        initialMarginBps: 1000,
        maintenanceMarginBps: 500,
      },
      {
        symbol: 'BTC-PERP',
        marketIndex: 1,
        tickSize: 1_000n,
        stepSize: 100_000n,
        minOrderSize: 100_000n,
        initialMarginBps: 1000,
        maintenanceMarginBps: 500,
      },
    ]);
    const oracle = await venue.getOraclePrice('BTC-PERP');
    expect(oracle).toMatchObject({ market: 'BTC-PERP', price: 65_000_000_000n, slot: 1_000 });
    const book = await venue.getTopOfBook('SOL-PERP');
    expect(book.bestBid?.price).toBeLessThan(150_000_000n);
    expect(book.bestAsk?.price).toBeGreaterThan(150_000_000n);
    expect(rpc.calls).toContain('getMultipleAccounts');
  });

  it('refuses to connect a sub-account that has no Drift user account, naming it', async () => {
    const other = secondVenue({ subAccount: 4 });
    await expect(other.connect()).rejects.toThrow(
      `sub-account 4 of ${authority.publicKey.toBase58()} has no Drift user account on devnet`,
    );
    await other.close();
  });

  it('keeps time by its injected clock: venue time, oracle times, and an expiry already past by it', async () => {
    // An hour ahead of the wall: an order expiring in a minute of wall time has expired by this clock.
    const fakeNow = Date.now() + 3_600_000;
    const other = secondVenue({ now: () => fakeNow });
    try {
      await other.connect();
      expect((await other.clock()).ts).toBe(fakeNow);
      expect((await other.getOraclePrice('SOL-PERP')).ts).toBe(fakeNow);
      const placed = await other.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        baseAmount: 1_000_000_000n,
        price: 150_000_000n,
        maxTs: Date.now() + 60_000,
      });
      expect(placed).toMatchObject({ ok: false, reason: 'order-expired' });
      expect(rpc.sentTransactions).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('sees an oracle update on the next poll and announces it', async () => {
    await chain.setOracle(0, 151_500_000n, 1_005);
    const deadline = Date.now() + 3_000;
    while (!events.some((e) => e.type === 'oracle' && e.price.price === 151_500_000n)) {
      if (Date.now() > deadline) throw new Error('no oracle event');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await venue.getOraclePrice('SOL-PERP')).slot).toBe(1_005);
  });

  it('reads positions, open orders and the account from the User account', async () => {
    const [position] = await venue.getPositions();
    expect(position).toEqual({
      subAccount: 0,
      market: 'SOL-PERP',
      baseAmount: 2_000_000_000n,
      quoteEntryAmount: 290_000_000n,
      entryPrice: 145_000_000n,
      realizedPnl: 0n,
      unrealizedPnl: 10_000_000n,
    });
    const orders = await venue.getOpenOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      orderId: '5',
      userOrderId: 7,
      side: 'buy',
      price: 140_000_000n,
      baseAmount: 1_000_000_000n,
      postOnly: true,
      status: 'open',
    });
    const account = await venue.getAccount();
    expect(account.collateral).toBe(10_000_000_000n);
    expect(account.unrealizedPnl).toBe(10_000_000n);
    expect(account.equity).toBe(10_010_000_000n);
    expect(account.grossNotional).toBe(300_000_000n);
    // The SDK's margin math: 10% of the 300 USDC position plus $0.01 per open order.
    expect(account.initialMarginRequirement).toBe(30_010_000n);
    expect(account.freeMargin).toBe(10_010_000_000n - 30_010_000n);
  });

  it('places a post-only limit order: SDK instruction with the right fields, capped priority fee, order read back', async () => {
    programPlacesOrders();
    const result = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'sell',
      type: 'limit',
      baseAmount: 1_500_000_000n,
      price: 155_000_000n,
      postOnly: true,
      clientOrderId: 'mm-1',
    });
    expect(result).toMatchObject({
      ok: true,
      order: { orderId: '6', clientOrderId: 'mm-1', side: 'sell', price: 155_000_000n, status: 'open' },
    });
    const [tx] = rpc.transactions;
    const decoded = chain.decodeTransaction(tx?.wire ?? Buffer.alloc(0));
    expect(decoded.drift.map((ix) => ix.name)).toEqual(['placePerpOrder']);
    const p = decoded.drift[0]?.data.params as Record<string, unknown>;
    expect(p.marketIndex).toBe(0);
    expect(p.direction).toEqual({ short: {} });
    expect((p.baseAssetAmount as BN).toString()).toBe('1500000000');
    expect((p.price as BN).toString()).toBe('155000000');
    expect(p.postOnly).toEqual({ mustPostOnly: {} });
    expect(p.reduceOnly).toBe(false);
    expect(p.orderType).toEqual({ limit: {} });
    // The accounts the program reads: our user, the market and its oracle.
    const keys = decoded.drift[0]?.keys ?? [];
    expect(keys).toContain(getUserAccountPublicKeySync(PROGRAM_ID, authority.publicKey, 0).toBase58());
    expect(keys).toContain(getPerpMarketPublicKeySync(PROGRAM_ID, 0).toBase58());
    expect(keys).toContain(PerpMarkets.devnet[0]?.oracle.toBase58());
    // The network asked up to 90,000 micro-lamports; the cap is 5,000.
    expect(decoded.computeUnitPrice).toBe(5_000n);
    expect((await venue.getOpenOrders()).map((o) => o.orderId).sort()).toEqual(['5', '6']);
    // The User account update is announced as an order event.
    const deadline = Date.now() + 3_000;
    while (!events.some((e) => e.type === 'order' && e.order.orderId === '6')) {
      if (Date.now() > deadline) throw new Error('no order event');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('places a reduce-only IOC order with place-and-take, filled at once: flags on-chain, fill read from the transaction events', async () => {
    programPlacesOrders({ fillImmediately: true });
    const result = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'sell',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 149_000_000n,
      ioc: true,
      reduceOnly: true,
    });
    const [ix] = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0)).drift;
    expect(ix?.name).toBe('placeAndTakePerpOrder');
    const p = ix?.data.params as Record<string, unknown>;
    expect(p.reduceOnly).toBe(true);
    expect(p.bitFlags).toBe(1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order.status).toBe('filled');
    expect(result.fills).toEqual([
      expect.objectContaining({
        orderId: '6',
        side: 'sell',
        price: 150_000_000n,
        baseAmount: 1_000_000_000n,
        fee: 52_500n,
        liquidity: 'taker',
      }),
    ]);
    expect((await venue.getFills()).map((f) => f.fillId)).toEqual([result.fills[0]?.fillId]);
  });

  it('refuses bad orders before any transaction', async () => {
    const offTick = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 150_000_050n,
    });
    const offStep = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_001n,
      price: 150_000_000n,
    });
    const unknown = await venue.placeOrder({
      market: 'ETH-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 1n,
    });
    const duplicate = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 150_000_000n,
      userOrderId: 7,
    });
    expect([offTick, offStep, unknown, duplicate].map((r) => !r.ok && r.reason)).toEqual([
      'price-off-tick',
      'invalid-size',
      'unknown-market',
      'duplicate-client-id',
    ]);
    expect(rpc.sentTransactions).toEqual([]);
  });

  it('maps a program error from preflight to a typed reason', async () => {
    rpc.failPreflight = {
      message: 'Transaction simulation failed: Error processing Instruction 2: custom program error: 0x1773',
      logs: ['Program log: AnchorError occurred. Error Code: InsufficientCollateral. Error Number: 6003.'],
    };
    const result = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 150_000_000n,
    });
    expect(result).toMatchObject({ ok: false, reason: 'insufficient-margin' });
  });

  it('reads a landed failure by its program error code (no logs needed)', async () => {
    rpc.onTransaction = () => ({ logs: [], err: { InstructionError: [2, { Custom: 6057 }] } });
    const result = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 150_000_000n,
      postOnly: true,
    });
    expect(result).toMatchObject({ ok: false, reason: 'post-only-would-cross' });
    expect(!result.ok && result.message).toMatch(/PlacePostOnlyLimitFailure/);
  });

  it('re-sends an unconfirmed transaction until its blockhash expires, then reports it', async () => {
    programPlacesOrders();
    rpc.confirm = 'none';
    rpc.blockhashValidFor = 5;
    rpc.blockHeightStep = 1;
    const result = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 150_000_000n,
    });
    expect(result).toMatchObject({ ok: false, reason: 'venue-error' });
    expect(!result.ok && result.message).toMatch(/expired unconfirmed/);
    expect(new Set(rpc.sentTransactions).size).toBe(1);
    expect(rpc.sentTransactions.length).toBeGreaterThan(1);
  });

  it('cancels an open order with the SDK cancel instruction; unknown ids cost nothing', async () => {
    programPlacesOrders();
    expect(await venue.cancelOrder('99')).toBe(false);
    expect(rpc.sentTransactions).toEqual([]);
    expect(await venue.cancelOrder('5')).toBe(true);
    const ix = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0)).drift[0];
    expect(ix?.name).toBe('cancelOrder');
    expect(ix?.data.orderId).toBe(5);
    expect(await venue.getOpenOrders()).toEqual([]);
  });

  it('fills a Swift taker order by place-and-make: verify, taker place and maker order in one transaction', async () => {
    programPlacesOrders();
    const taker = Keypair.generate();
    await chain.setUser({ authority: taker.publicKey, subAccountId: 0, usdcDeposit: 1_000_000_000n });
    const takerClient = offlineDriftClient('devnet', rpc.url);
    const signerClient = new DriftClient({
      connection: takerClient.connection,
      wallet: new Wallet(taker),
      env: 'devnet',
      perpMarketIndexes: [],
      spotMarketIndexes: [],
      oracleInfos: [],
      skipLoadUsers: true,
    });
    const uuid = generateSignedMsgUuid();
    const signed = signerClient.signSignedMsgOrderParamsMessage(
      {
        signedMsgOrderParams: getOrderParams(
          getMarketOrderParams({
            marketIndex: 0,
            marketType: MarketType.PERP,
            direction: PositionDirection.LONG,
            baseAssetAmount: new BN(3_000_000_000),
            price: new BN(151_000_000),
            auctionStartPrice: new BN(150_100_000),
            auctionEndPrice: new BN(151_000_000),
            auctionDuration: 10,
          }),
        ),
        subAccountId: 0,
        slot: new BN(rpc.slot),
        uuid,
        takeProfitOrderParams: null,
        stopLossOrderParams: null,
      },
      false,
    );
    const result = await venue.fillTakerOrder(
      {
        uuid: Buffer.from(uuid).toString(),
        source: 'swift',
        market: 'SOL-PERP',
        side: 'buy',
        baseAmount: 3_000_000_000n,
        auction: { startPrice: 150_100_000n, endPrice: 151_000_000n, startSlot: rpc.slot, durationSlots: 10 },
        taker: taker.publicKey.toBase58(),
        receivedAt: Date.now(),
        message: new Uint8Array(signed.orderParams),
        signature: new Uint8Array(signed.signature),
      },
      { price: 150_500_000n, baseAmount: 2_000_000_000n },
    );
    const decoded = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0));
    expect(decoded.programs).toContain('Ed25519SigVerify111111111111111111111111111');
    expect(decoded.drift.map((ix) => ix.name)).toEqual([
      'placeSignedMsgTakerOrder',
      'placeAndMakeSignedMsgPerpOrder',
    ]);
    const make = decoded.drift[1]?.data as { params: Record<string, unknown>; signedMsgOrderUuid: number[] };
    expect(make.params.direction).toEqual({ short: {} });
    expect((make.params.price as BN).toString()).toBe('150500000');
    expect((make.params.baseAssetAmount as BN).toString()).toBe('2000000000');
    expect(make.params.postOnly).toEqual({ mustPostOnly: {} });
    expect(make.params.bitFlags).toBe(1);
    expect(Buffer.from(make.signedMsgOrderUuid).toString()).toBe(Buffer.from(uuid).toString());
    // The taker's signed message travels unchanged into the taker-place instruction.
    const place = decoded.drift[0]?.data as { signedMsgOrderParamsMessageBytes: Buffer };
    expect(Buffer.from(place.signedMsgOrderParamsMessageBytes).includes(signed.orderParams)).toBe(true);
    expect(result).toMatchObject({ ok: true, order: { side: 'sell', status: 'filled' } });
    expect(result.ok && result.fills.map((f) => [f.liquidity, f.baseAmount, f.fee])).toEqual([
      ['maker', 2_000_000_000n, -500n],
    ]);
  });

  it('modifies by cancel-and-replace: the SDK modify instruction, and the new order id read back', async () => {
    programPlacesOrders();
    const result = await venue.modifyOrder('5', { price: 141_000_000n });
    const ix = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0)).drift[0];
    expect(ix?.name).toBe('modifyOrder');
    expect(ix?.data.orderId).toBe(5);
    const m = ix?.data.modifyOrderParams as Record<string, unknown>;
    expect((m.price as BN).toString()).toBe('141000000');
    expect(m.baseAssetAmount).toBeNull();
    expect(result).toMatchObject({
      ok: true,
      order: { orderId: '6', userOrderId: 7, price: 141_000_000n, status: 'open' },
    });
    expect(await venue.modifyOrder('5', { price: 1n })).toMatchObject({
      ok: false,
      reason: 'order-not-found',
    });
  });

  it("sends an order's expiry as Drift's maxTs (seconds, floored) on place and modify, and reads it back", async () => {
    programPlacesOrders();
    const placed = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: 1_000_000_000n,
      price: 140_000_000n,
      maxTs: 1_900_000_060_999,
    });
    const place = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0)).drift[0];
    const p = place?.data.params as Record<string, unknown> | undefined;
    expect((p?.maxTs as BN | undefined)?.toString()).toBe('1900000060');
    expect(placed).toMatchObject({ ok: true, order: { maxTs: 1_900_000_060_000 } });
    if (!placed.ok) return;
    const moved = await venue.modifyOrder(placed.order.orderId, { maxTs: 1_900_000_090_500 });
    const modify = chain.decodeTransaction(rpc.transactions[1]?.wire ?? Buffer.alloc(0)).drift[0];
    const m = modify?.data.modifyOrderParams as Record<string, unknown>;
    expect((m.maxTs as BN).toString()).toBe('1900000090');
    expect(m.price).toBeNull();
    expect(moved).toMatchObject({ ok: true, order: { maxTs: 1_900_000_090_000, price: 140_000_000n } });
  });

  it('cancels all open orders of a market with one cancelOrders instruction', async () => {
    programPlacesOrders();
    expect(await venue.cancelAllOrders({ market: 'BTC-PERP' })).toBe(0);
    expect(rpc.sentTransactions).toEqual([]);
    expect(await venue.cancelAllOrders({ market: 'SOL-PERP' })).toBe(1);
    const ix = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0)).drift[0];
    expect(ix?.name).toBe('cancelOrders');
    expect(ix?.data).toMatchObject({ marketType: { perp: {} }, marketIndex: 0, direction: null });
    expect(await venue.getOpenOrders()).toEqual([]);
  });

  it('delivers fills of our user account from the SDK event subscriber', async () => {
    pushMakerFill(rpc, chain, authority.publicKey, {
      ts: 1_700_000_500,
      fillRecordId: 901,
      base: new BN(500_000_000),
      quote: new BN(70_000_000),
      makerFee: new BN(-1_400),
      takerFee: new BN(24_500),
      takerOrderId: 33,
      makerOrderId: 5,
    });
    const deadline = Date.now() + 4_000;
    while (!events.some((e) => e.type === 'fill')) {
      if (Date.now() > deadline) throw new Error('no fill event');
      await new Promise((r) => setTimeout(r, 20));
    }
    const fill = (events.find((e) => e.type === 'fill') as { fill: Fill }).fill;
    expect(fill).toMatchObject({
      orderId: '5',
      side: 'buy',
      price: 140_000_000n,
      baseAmount: 500_000_000n,
      quoteAmount: 70_000_000n,
      fee: -1_400n,
      liquidity: 'maker',
      ts: 1_700_000_500_000,
    });
    expect((await venue.getRecentTrades('SOL-PERP')).map((t) => t.side)).toEqual(['sell']);
  });
});

describe('on-chain auction taker orders', () => {
  const sources: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
  });

  /** A SOL market order buying 3 SOL, auction 150.10 -> 151.00 over 10 slots from `slot`. */
  const solAuction = (orderId: number, slot: number): OrderSetup => ({
    orderId,
    marketIndex: 0,
    orderType: 'market',
    direction: 'long',
    price: 151_000_000n,
    baseAssetAmount: 3_000_000_000n,
    slot,
    auction: { startPrice: 150_100_000n, endPrice: 151_000_000n, durationSlots: 10 },
  });

  async function takerWith(orders: OrderSetup[], keypair = Keypair.generate()): Promise<Keypair> {
    await chain.setUser({
      authority: keypair.publicKey,
      subAccountId: 0,
      usdcDeposit: 1_000_000_000n,
      orders,
    });
    return keypair;
  }

  async function follow(markets: string[]): Promise<TakerOrder[]> {
    const config = testFleetConfig({ mode: 'live', wallet: { keypairPath: '/unused' } });
    const source = await createAuctionTakerSource(config, { logger, venue, params });
    sources.push(source);
    const got: TakerOrder[] = [];
    source.subscribe(markets, (o) => got.push(o));
    await source.ready();
    return got;
  }

  /** Waits for `n` more getProgramAccounts polls. */
  async function polls(n: number): Promise<void> {
    const count = () => rpc.calls.filter((c) => c === 'getProgramAccounts').length;
    const target = count() + n;
    const deadline = Date.now() + 3_000;
    while (count() < target) {
      if (Date.now() > deadline) throw new Error('no poll');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('emits each new auction order of our markets once; not own-fleet, expired or other-market ones', async () => {
    const taker = await takerWith([solAuction(12, rpc.slot - 2)]);
    await takerWith([solAuction(3, rpc.slot - 20)]); // auction over 10 slots ago
    await takerWith([{ ...solAuction(4, rpc.slot), marketIndex: 1, price: 65_000_000_000n }]);
    await chain.setUser({
      authority: authority.publicKey, // the fleet's own sub-account 1 (the hedge bot's auction)
      subAccountId: 1,
      usdcDeposit: 1_000_000_000n,
      orders: [solAuction(8, rpc.slot)],
    });

    const got = await follow(['SOL-PERP']);
    const takerUser = getUserAccountPublicKeySync(PROGRAM_ID, taker.publicKey, 0).toBase58();
    expect(got).toEqual([
      {
        uuid: `${takerUser}:12`,
        source: 'auction',
        market: 'SOL-PERP',
        side: 'buy',
        baseAmount: 3_000_000_000n,
        auction: { startPrice: 150_100_000n, endPrice: 151_000_000n, startSlot: 998, durationSlots: 10 },
        taker: taker.publicKey.toBase58(),
        receivedAt: expect.any(Number),
      },
    ]);

    // Later polls see order 12 again: not re-emitted. A new oracle order is, made absolute with
    // the SOL oracle (150): offsets +0.05 -> +0.80.
    await polls(2);
    await takerWith(
      [
        solAuction(12, rpc.slot - 2),
        {
          ...solAuction(13, rpc.slot),
          orderType: 'oracle',
          price: 0n,
          oraclePriceOffset: 900_000,
          auction: { startPrice: 50_000n, endPrice: 800_000n, durationSlots: 20 },
        },
      ],
      taker,
    );
    await polls(2);
    expect(got.map((o) => o.uuid)).toEqual([`${takerUser}:12`, `${takerUser}:13`]);
    expect(got[1]?.auction).toEqual({
      startPrice: 150_050_000n,
      endPrice: 150_800_000n,
      startSlot: rpc.slot,
      durationSlots: 20,
    });
  });

  it('runs on a venue of its own when given none (closed with the source); refuses paper mode and sim venues', async () => {
    const taker = await takerWith([solAuction(12, rpc.slot)]);
    const config = testFleetConfig({ mode: 'live', wallet: { keypairPath: '/unused' } });
    const source = await createAuctionTakerSource(config, {
      logger,
      params,
      venueOptions: { rpcUrl: rpc.url, wsUrl: rpc.url.replace('http', 'ws'), keypair: authority },
    });
    sources.push(source);
    const got: TakerOrder[] = [];
    source.subscribe(['SOL-PERP'], (o) => got.push(o));
    await source.ready();
    expect(got.map((o) => o.taker)).toEqual([taker.publicKey.toBase58()]);

    await expect(createAuctionTakerSource(testFleetConfig(), { logger })).rejects.toThrow(
      'mode: "paper": on-chain auctions are followed in live mode only',
    );
    const sim = await createVenue(testFleetConfig(), { logger, sim: 'embedded' });
    await expect(createAuctionTakerSource(config, { logger, venue: sim })).rejects.toThrow(
      'venue: a sim venue cannot follow on-chain auctions',
    );
    stopEmbeddedEngine();
  });

  it('fills an auction order with placeAndMakePerpOrder: the taker order id and our post-only IOC params', async () => {
    programPlacesOrders();
    const taker = await takerWith([solAuction(12, rpc.slot)]);
    const [order] = await follow(['SOL-PERP']);
    if (!order) throw new Error('no auction order');

    const result = await venue.fillTakerOrder(order, { price: 150_500_000n, baseAmount: 2_000_000_000n });

    const decoded = chain.decodeTransaction(rpc.transactions[0]?.wire ?? Buffer.alloc(0));
    expect(decoded.drift.map((ix) => ix.name)).toEqual(['placeAndMakePerpOrder']);
    const make = decoded.drift[0];
    expect(make?.data.takerOrderId).toBe(12);
    const p = make?.data.params as Record<string, unknown>;
    expect(p.marketIndex).toBe(0);
    expect(p.orderType).toEqual({ limit: {} });
    expect(p.direction).toEqual({ short: {} });
    expect((p.price as BN).toString()).toBe('150500000');
    expect((p.baseAssetAmount as BN).toString()).toBe('2000000000');
    expect(p.postOnly).toEqual({ mustPostOnly: {} });
    expect(p.bitFlags).toBe(1);
    // state, user, userStats, taker, takerStats, authority (the IDL's account order).
    expect(make?.keys.slice(3, 6)).toEqual([
      getUserAccountPublicKeySync(PROGRAM_ID, taker.publicKey, 0).toBase58(),
      getUserStatsAccountPublicKey(PROGRAM_ID, taker.publicKey).toBase58(),
      authority.publicKey.toBase58(),
    ]);
    expect(result).toMatchObject({ ok: true, order: { side: 'sell', status: 'filled' } });
    expect(result.ok && result.fills.map((f) => [f.liquidity, f.baseAmount, f.fee])).toEqual([
      ['maker', 2_000_000_000n, -500n],
    ]);
  });

  it('refuses, before any transaction, an ended auction, a gone or mismatched order, or a taker in markets it does not follow', async () => {
    const taker = await takerWith([solAuction(12, rpc.slot)]);
    const [order] = await follow(['SOL-PERP']);
    if (!order) throw new Error('no auction order');
    const maker = { price: 150_500_000n, baseAmount: 1_000_000_000n };

    rpc.slot += 11;
    expect(await venue.fillTakerOrder(order, maker)).toMatchObject({ ok: false, reason: 'auction-ended' });
    rpc.slot -= 11;
    for (const bad of [{ side: 'sell' as const }, { taker: 'sub-account:1' }, { uuid: 'not-an-id' }]) {
      expect(await venue.fillTakerOrder({ ...order, ...bad }, maker)).toMatchObject({
        ok: false,
        reason: 'order-not-found',
      });
    }
    await takerWith([], taker); // the taker cancelled
    expect(await venue.fillTakerOrder(order, maker)).toMatchObject({ ok: false, reason: 'order-not-found' });
    await chain.setUser({
      authority: taker.publicKey,
      subAccountId: 0,
      usdcDeposit: 1_000_000_000n,
      positions: [{ marketIndex: 2, baseAssetAmount: 1_000_000_000n, quoteEntryAmount: -3_000_000_000n }],
      orders: [solAuction(12, rpc.slot)],
    });
    const unfollowed = await venue.fillTakerOrder(order, maker);
    expect(unfollowed).toMatchObject({ ok: false, reason: 'venue-error' });
    expect(!unfollowed.ok && unfollowed.message).toMatch(/perp 2/);
    expect(rpc.sentTransactions).toEqual([]);
  });
});
