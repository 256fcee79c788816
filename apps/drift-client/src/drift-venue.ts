/**
 * `DriftVenue`: @drift/domain's `Venue` over @drift-labs/sdk. A DriftClient (websocket or polling
 * subscription) follows the State, the configured perp markets, the USDC spot market, their oracles
 * and this authority's user accounts; orders are SDK-built instructions sent by `TxSender`; fills
 * come from the SDK's EventSubscriber on our user accounts.
 *
 * This class checks requests and reads accounts; each other job is its own module:
 * venue-connection.ts (connect), order-params.ts (order mapping), taker-fill.ts (taker fill
 * instructions), order-transactions.ts (send and outcome), venue-event-stream.ts (events),
 * venue-context.ts (what they share).
 */
import type {
  AccountScope,
  AccountState,
  Fill,
  MarketSpec,
  OraclePrice,
  Order,
  OrderChanges,
  OrderRequest,
  PlaceResult,
  Position,
  TakerOrder,
  TopOfBook,
  Trade,
  Unsubscribe,
  Venue,
  VenueEvent,
} from '@drift/domain';
import {
  calculateBidAskPrice,
  calculateMarketOpenBidAsk,
  type DriftClient,
  isVariant,
  MarketType,
  type PriorityFeeSubscriber,
} from '@drift-labs/sdk';
import { toAccountState, toCoreOrder, toCorePosition, unsettledPnlOf } from './account-view.js';
import { fromBN, toBN } from './bn.js';
import { specFromAccount } from './markets.js';
import { checkMaxTs, checkOrder, isImmediateOrCancel, maxTsSeconds, toOrderParams } from './order-params.js';
import { OrderTransactions } from './order-transactions.js';
import { auctionFillIxs, makerOrderParams, swiftFillIxs } from './taker-fill.js';
import { TxError, TxSender } from './tx-sender.js';
import { openDriftClient, startPriorityFees } from './venue-connection.js';
import { type DriftVenueOptions, reject, VenueContext } from './venue-context.js';
import { VenueEventStream } from './venue-event-stream.js';

export type { DriftVenueOptions } from './venue-context.js';

export class DriftVenue implements Venue {
  readonly kind = 'drift' as const;
  readonly subAccount: number;
  private readonly ctx: VenueContext;
  private readonly stream: VenueEventStream;
  private readonly txs: OrderTransactions;
  private priorityFees: PriorityFeeSubscriber | undefined;

  constructor(opts: DriftVenueOptions) {
    this.ctx = new VenueContext(opts);
    this.subAccount = opts.subAccount;
    this.stream = new VenueEventStream(this.ctx, (sub) => this.getOpenOrders({ subAccount: sub }));
    this.txs = new OrderTransactions(this.ctx, this.stream);
  }

  /** The authority (wallet) public key, base58. */
  get authority(): string {
    return this.ctx.authority;
  }

  async connect(): Promise<void> {
    const { ctx } = this;
    const { params, env, keypair } = ctx.opts;
    const { client, connection } = await openDriftClient(ctx);
    ctx.client = client;
    try {
      ctx.specs = ctx.configs.map((c) => {
        const account = client.getPerpMarketAccount(c.marketIndex);
        if (!account) throw new Error(`perp market ${c.symbol} (${c.marketIndex}) not loaded`);
        return specFromAccount(c.symbol, account);
      });
      await this.stream.startTrackers();
      this.stream.watchAccounts(client);
      this.priorityFees = await startPriorityFees(ctx, connection);
      await this.stream.startFillEvents(client);
      this.txs.sender = new TxSender({
        connection,
        payer: keypair,
        priorityFee: () => this.priorityFee(),
        computeUnitLimit: params.computeUnitLimit,
        commitment: params.commitment,
        resendIntervalMs: params.confirm.resendIntervalMs,
        pollIntervalMs: params.confirm.pollIntervalMs,
        programErrors: new Map((client.program.idl.errors ?? []).map((e) => [e.code, e.name])),
        logger: ctx.logger,
      });
    } catch (err) {
      await this.close();
      throw err;
    }
    ctx.logger.info(
      {
        env,
        authority: this.authority,
        subAccounts: ctx.subs,
        markets: ctx.opts.markets,
        subscription: params.subscription,
      },
      'drift venue connected',
    );
    this.stream.deliver({ type: 'connection', state: 'connected' });
  }

  async close(): Promise<void> {
    const client = this.ctx.client;
    this.ctx.client = undefined;
    await this.stream.close();
    await this.priorityFees?.unsubscribe();
    this.priorityFees = undefined;
    if (client) {
      client.eventEmitter.removeAllListeners();
      await client.unsubscribe();
      this.stream.deliver({ type: 'connection', state: 'disconnected' });
    }
  }

  markets(): readonly MarketSpec[] {
    return this.ctx.specs;
  }

  /** Up to when this venue's view of the sub-account is known current (see `AccountViewAge`). */
  async accountAsOf(subAccount = this.subAccount): Promise<{ slot: number; ts: number }> {
    const user = this.ctx.user(subAccount);
    const age = this.ctx.accountAge;
    if (!user || !age) throw new Error(`sub-account ${subAccount} is not followed by this venue`);
    return age.asOf(subAccount, user);
  }

  async clock(): Promise<{ slot: number; ts: number }> {
    return { slot: await this.ctx.need().connection.getSlot(), ts: this.ctx.now() };
  }

  async getOraclePrice(market: string): Promise<OraclePrice> {
    const config = this.ctx.config(market);
    const data = this.ctx.need().getOracleDataForPerpMarket(config.marketIndex);
    const slot = data.slot.toNumber();
    return { market, price: fromBN(data.price), slot, ts: this.ctx.seenAt(config.marketIndex, slot) };
  }

  /**
   * The AMM's quote (the SDK's `calculateBidAskPrice`, spreads included) with its open liquidity
   * as size. Resting limit orders are not included: they live in every user's account and need the
   * DLOB server or a full-program subscription, which this venue does not make.
   */
  async getTopOfBook(market: string): Promise<TopOfBook> {
    const config = this.ctx.config(market);
    const client = this.ctx.need();
    const account = client.getPerpMarketAccount(config.marketIndex);
    if (!account) throw new Error(`perp market ${market} not loaded`);
    const [bid, ask] = calculateBidAskPrice(
      account.amm,
      client.getMMOracleDataForPerpMarket(config.marketIndex),
      true,
    );
    const [openBids, openAsks] = calculateMarketOpenBidAsk(
      account.amm.baseAssetReserve,
      account.amm.minBaseAssetReserve,
      account.amm.maxBaseAssetReserve,
      account.amm.orderStepSize,
    );
    const book: TopOfBook = { market };
    if (!openBids.isZero()) book.bestBid = { price: fromBN(bid), baseAmount: fromBN(openBids) };
    if (!openAsks.isZero()) book.bestAsk = { price: fromBN(ask), baseAmount: -fromBN(openAsks) };
    return book;
  }

  /** Fills this venue's accounts took part in, newest last (only ours: logs are filtered by account). */
  async getRecentTrades(market: string, limit = 100): Promise<Trade[]> {
    return this.stream.recentTrades(market, limit);
  }

  async placeOrder(request: OrderRequest): Promise<PlaceResult> {
    const { ctx } = this;
    const sub = request.subAccount ?? this.subAccount;
    const spec = ctx.spec(request.market);
    if (!spec) return ctx.unknownMarket(request.market);
    const checked = checkOrder(spec, request);
    if (!checked.ok) return checked;
    const fresh = checkMaxTs(request.maxTs, ctx.now());
    if (!fresh.ok) return fresh;
    const user = ctx.user(sub);
    if (!user) return reject('venue-error', `sub-account ${sub} is not followed by this venue`);
    const userOrderId = request.userOrderId ?? ctx.freeUserOrderId(user);
    if (request.userOrderId !== undefined && user.getOrderByUserOrderId(request.userOrderId)) {
      return reject('duplicate-client-id', `userOrderId ${request.userOrderId} is already on an open order`);
    }
    const client = ctx.need();
    const params = toOrderParams(spec, request, userOrderId);
    if (!isImmediateOrCancel(request)) {
      return this.txs.transact(sub, [await client.getPlacePerpOrderIx(params, sub)], {
        userOrderId,
        request,
      });
    }
    // The program refuses the IOC flag on a plain placement (`InvalidOrderIOC`): an IOC limit order
    // is placed and taken in one instruction, filled at once, its remainder cancelled by the program.
    const ix = await client.getPlaceAndTakePerpOrderIx(
      params,
      undefined,
      undefined,
      undefined,
      undefined,
      sub,
    );
    return this.txs.transact(sub, [ix], {
      userOrderId,
      request,
      // Nothing to take at once (the AMM not yet available to a new taker order, no maker): the
      // program refuses the whole instruction, so nothing was placed: the IOC ends unfilled.
      whenRefused: (err) =>
        err.refusedWith('ImpossibleFill') ? this.txs.unfilledIoc(sub, request, userOrderId, err) : undefined,
    });
  }

  async cancelOrder(orderId: string, scope?: AccountScope): Promise<boolean> {
    const sub = scope?.subAccount ?? this.subAccount;
    const id = Number(orderId);
    const user = this.ctx.user(sub);
    if (!user || !Number.isInteger(id) || !user.getOrder(id) || !isVariant(user.getOrder(id)?.status, 'open'))
      return false;
    try {
      await this.txs.send([await this.ctx.need().getCancelOrderIx(id, sub)]);
    } catch (err) {
      if (err instanceof TxError && err.reason === 'order-not-found') return false;
      throw err;
    }
    await user.fetchAccounts();
    return true;
  }

  async cancelAllOrders(scope?: AccountScope): Promise<number> {
    const subs = scope?.subAccount !== undefined ? [scope.subAccount] : [this.subAccount];
    let cancelled = 0;
    for (const sub of subs) {
      const open = await this.getOpenOrders({
        subAccount: sub,
        ...(scope?.market && { market: scope.market }),
      });
      if (open.length === 0) continue;
      const marketIndex = scope?.market !== undefined ? this.ctx.config(scope.market).marketIndex : null;
      await this.txs.send([await this.ctx.need().getCancelOrdersIx(MarketType.PERP, marketIndex, null, sub)]);
      await this.ctx.user(sub)?.fetchAccounts();
      cancelled += open.length;
    }
    return cancelled;
  }

  /** Drift modifies by cancelling and re-placing under the same userOrderId: the order id changes. */
  async modifyOrder(orderId: string, changes: OrderChanges, scope?: AccountScope): Promise<PlaceResult> {
    const { ctx } = this;
    const sub = scope?.subAccount ?? this.subAccount;
    const user = ctx.user(sub);
    const existing = user?.getOrder(Number(orderId));
    if (!user || !existing || !isVariant(existing.status, 'open')) {
      return reject('order-not-found', `no open order ${orderId} on sub-account ${sub}`);
    }
    const market = ctx.symbolOf(existing.marketIndex);
    const spec = market ? ctx.spec(market) : undefined;
    if (!spec) return reject('unknown-market', `order ${orderId} is on market index ${existing.marketIndex}`);
    const checked = checkOrder(spec, {
      type: 'limit',
      baseAmount: changes.baseAmount ?? fromBN(existing.baseAssetAmount),
      price: changes.price ?? fromBN(existing.price),
    });
    if (!checked.ok) return checked;
    const fresh = checkMaxTs(changes.maxTs, ctx.now());
    if (!fresh.ok) return fresh;
    const ix = await ctx.need().getModifyOrderIx(
      {
        orderId: existing.orderId,
        ...(changes.baseAmount !== undefined && { newBaseAmount: toBN(changes.baseAmount) }),
        ...(changes.price !== undefined && { newLimitPrice: toBN(changes.price) }),
        ...(changes.maxTs !== undefined && { maxTs: maxTsSeconds(changes.maxTs) }),
      },
      sub,
    );
    const clientOrderId = ctx.clientOrderIdOf(sub, existing.orderId);
    return this.txs.transact(sub, [ix], { userOrderId: existing.userOrderId, clientOrderId });
  }

  /**
   * Fills a taker order inside its auction with place-and-make: our maker order (post-only, IOC,
   * at `maker.price`) placed and matched against the taker's in one transaction (taker-fill.ts:
   * a Swift signed message, or an on-chain auction order read fresh and refused when gone or
   * past its auction before anything is sent).
   */
  async fillTakerOrder(
    taker: TakerOrder,
    maker: Parameters<Venue['fillTakerOrder']>[1],
  ): Promise<PlaceResult> {
    const { ctx } = this;
    const sub = maker.subAccount ?? this.subAccount;
    const spec = ctx.spec(taker.market);
    if (!spec) return ctx.unknownMarket(taker.market);
    if (taker.source === 'swift' && (!taker.message || !taker.signature)) {
      return reject('venue-error', `Swift taker order ${taker.uuid} carries no signed message`);
    }
    const checked = checkOrder(spec, { type: 'limit', baseAmount: maker.baseAmount, price: maker.price });
    if (!checked.ok) return checked;
    const userOrderId = maker.userOrderId ?? ctx.freeUserOrderId(ctx.user(sub));
    const makerParams = makerOrderParams(spec, taker.side, maker, userOrderId);
    const built =
      taker.source === 'swift'
        ? await swiftFillIxs(ctx, taker, makerParams, sub)
        : await auctionFillIxs(ctx, taker, spec, makerParams, sub);
    if (!built.ok) return built;
    return this.txs.transact(sub, built.value, {
      userOrderId,
      request: {
        market: taker.market,
        side: taker.side === 'buy' ? 'sell' : 'buy',
        type: 'limit',
        baseAmount: maker.baseAmount,
        price: maker.price,
        postOnly: true,
        ioc: true,
        ...(maker.clientOrderId !== undefined && { clientOrderId: maker.clientOrderId }),
      },
    });
  }

  async getOpenOrders(scope?: AccountScope): Promise<Order[]> {
    const { ctx } = this;
    const subs = scope?.subAccount !== undefined ? [scope.subAccount] : [this.subAccount];
    const now = await ctx.nowFromSlot();
    const out: Order[] = [];
    for (const sub of subs) {
      const user = ctx.user(sub);
      if (!user) continue;
      for (const o of user.getOpenOrders()) {
        const market = ctx.symbolOf(o.marketIndex);
        if (!market || !isVariant(o.marketType, 'perp') || (scope?.market && scope.market !== market))
          continue;
        const clientOrderId = ctx.clientOrderIdOf(sub, o.orderId);
        out.push(
          toCoreOrder(o, {
            subAccount: sub,
            market,
            now,
            ...(clientOrderId !== undefined && { clientOrderId }),
          }),
        );
      }
    }
    return out;
  }

  /** Fills seen by the event subscriber since connect (and those returned by our own transactions). */
  async getFills(scope?: AccountScope & { sinceTs?: number }): Promise<Fill[]> {
    const sub = scope?.subAccount ?? this.subAccount;
    return this.stream
      .fillsOf(sub)
      .filter(
        (f) => (scope?.market === undefined || f.market === scope.market) && f.ts >= (scope?.sinceTs ?? 0),
      );
  }

  async getPositions(scope?: AccountScope): Promise<Position[]> {
    const sub = scope?.subAccount ?? this.subAccount;
    const user = this.ctx.user(sub);
    if (!user) return [];
    const out: Position[] = [];
    for (const p of user.getActivePerpPositions()) {
      const market = this.ctx.symbolOf(p.marketIndex);
      if (!market || (scope?.market && scope.market !== market)) continue;
      if (p.baseAssetAmount.isZero() && p.quoteAssetAmount.isZero()) continue;
      out.push(toCorePosition(p, sub, market, (await this.getOraclePrice(market)).price));
    }
    return out;
  }

  async getAccount(subAccount = this.subAccount): Promise<AccountState> {
    const user = this.ctx.user(subAccount);
    if (!user) throw new Error(`sub-account ${subAccount} is not followed by this venue`);
    const positions = await this.getPositions({ subAccount });
    const oracles = new Map(positions.map((p) => [p.market, 0n]));
    for (const market of oracles.keys()) oracles.set(market, (await this.getOraclePrice(market)).price);
    const unsettledPnl = user
      .getActivePerpPositions()
      .filter((p) => this.ctx.symbolOf(p.marketIndex) !== undefined)
      .reduce((sum, p) => sum + unsettledPnlOf(p), 0n);
    return toAccountState({
      subAccount,
      usdcBalance: fromBN(user.getTokenAmount(0)),
      unsettledPnl,
      positions,
      oracles,
      initialMarginRequirement: fromBN(user.getInitialMarginRequirement()),
      maintenanceMarginRequirement: fromBN(user.getMaintenanceMarginRequirement()),
    });
  }

  async subAccounts(): Promise<number[]> {
    return [...this.ctx.subs];
  }

  subscribe(listener: (event: VenueEvent) => void): Unsubscribe {
    return this.stream.subscribe(listener);
  }

  /** The priority fee the next transaction pays: the SDK's recent average, scaled, capped. */
  priorityFee(): number {
    const { maxMicroLamports } = this.ctx.opts.params.priorityFee;
    const fee = this.priorityFees?.getAvgStrategyResult() ?? 0;
    return Math.min(maxMicroLamports, Math.max(0, Math.floor(fee)));
  }

  /** The SDK client, for callers that need what the Venue interface does not cover. */
  driftClient(): DriftClient {
    return this.ctx.need();
  }
}
