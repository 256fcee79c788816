/**
 * `DriftVenue`: core's `Venue` over @drift-labs/sdk. A DriftClient (websocket or polling
 * subscription) follows the State, the configured perp markets, the USDC spot market, their oracles
 * and this authority's user accounts; orders are SDK-built instructions sent by `TxSender`; fills
 * come from the SDK's EventSubscriber on our user accounts.
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
  RejectReason,
  TakerOrder,
  TopOfBook,
  Trade,
  Unsubscribe,
  Venue,
  VenueEvent,
} from '@drift/domain';
import { maxBig } from '@drift/domain';
import {
  BulkAccountLoader,
  calculateBidAskPrice,
  calculateMarketOpenBidAsk,
  DriftClient,
  type DriftClientSubscriptionConfig,
  type DriftEnv,
  EventSubscriber,
  getLimitOrderParams,
  getMarketsAndOraclesForSubscription,
  getPerpMarketPublicKeySync,
  getUserAccountPublicKeySync,
  getUserStatsAccountPublicKey,
  isSpotPositionAvailable,
  isVariant,
  MarketType,
  type OptionalOrderParams,
  type OrderActionRecord,
  OrderParamsBitFlag,
  type PerpMarketConfig,
  PositionDirection,
  PostOnlyParams,
  PriorityFeeMethod,
  PriorityFeeSubscriber,
  positionIsAvailable,
  type SpotMarketConfig,
  SpotMarkets,
  type User,
  type UserAccount,
  type UserStatsAccount,
  Wallet,
} from '@drift-labs/sdk';
import { Connection, type Keypair, PublicKey, type TransactionInstruction } from '@solana/web3.js';
import {
  cancelReasonOf,
  sideOf,
  toAccountState,
  toCoreFill,
  toCoreOrder,
  toCorePosition,
  unsettledPnlOf,
} from './account-view.js';
import { AccountViewAge } from './account-view-age.js';
import { auctionEndSlot, inAuction, parseAuctionUuid } from './auction-orders.js';
import { fromBN, toBN } from './bn.js';
import { withLenientEvents } from './event-coder.js';
import type { Logger } from './logger.js';
import { perpMarketConfigs, specFromAccount } from './markets.js';
import {
  type Checked,
  checkMaxTs,
  checkOrder,
  isImmediateOrCancel,
  maxTsSeconds,
  toOrderParams,
} from './order-params.js';
import { type FillProgress, OrderTracker } from './order-tracker.js';
import type { DriftClientParams } from './params.js';
import { decodeSwiftMessage } from './swift-message.js';
import { fetchTxEvents, type TxEvents } from './tx-events.js';
import { type AccountMark, markOf, outcomeFromAccounts } from './tx-outcome.js';
import { type Sent, TxError, TxSender } from './tx-sender.js';

export interface DriftVenueOptions {
  env: DriftEnv;
  /** JSON-RPC URL (may carry an API key: never logged). Unused when `connection` is given. */
  rpcUrl: string;
  /** WebSocket URL; derived from rpcUrl by the web3.js rules when absent. */
  wsUrl?: string;
  /** A connection to use instead of one made from rpcUrl (a local cluster, a fork, a test). */
  connection?: Connection;
  keypair: Keypair;
  markets: readonly string[];
  /**
   * Perp market and oracle configuration to resolve `markets` in, instead of the SDK's fixed
   * `PerpMarkets[env]` (a local cluster's or a fork's markets).
   */
  perpMarkets?: readonly PerpMarketConfig[];
  /** The quote (USDC) spot market's configuration; default the SDK's `SpotMarkets[env][0]`. */
  quoteSpotMarket?: SpotMarketConfig;
  subAccount: number;
  /** Further sub-accounts of the same authority to follow (the risk manager's view). */
  subAccounts?: readonly number[];
  params: DriftClientParams;
  logger: Logger;
}

const FILLS_KEPT = 10_000;
/** How long an order that left the account waits for its fill logs before transactions are read. */
const ORDER_END_GRACE_MS = 500;
/** Recent transactions of the account read to settle a vanished order. */
const RECENT_TRANSACTIONS_READ = 25;
/** Background look-ups of a transaction whose outcome was unknown (backing off to 30 s). */
const FOLLOW_UP_ATTEMPTS = 12;
const TRADES_KEPT = 500;

export class DriftVenue implements Venue {
  readonly kind = 'drift' as const;
  readonly subAccount: number;
  private readonly subs: number[];
  private readonly configs: PerpMarketConfig[];
  private readonly logger: Logger;
  private client: DriftClient | undefined;
  private sender: TxSender | undefined;
  private priorityFees: PriorityFeeSubscriber | undefined;
  private eventSubscribers: EventSubscriber[] = [];
  private specs: MarketSpec[] = [];
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private readonly fills = new Map<number, Fill[]>();
  /** sub-account -> Drift order id -> why the program cancelled it (from its cancel record). */
  private readonly cancelReasons = new Map<number, Map<number, RejectReason>>();
  private readonly trades = new Map<string, Trade[]>();
  /** sub-account -> Drift order id -> caller's client order id. */
  private readonly clientIds = new Map<number, Map<number, string>>();
  /** Local time each market's oracle slot was first seen (for staleness). */
  private readonly oracleSeen = new Map<number, { slot: number; ts: number }>();
  /** sub-account -> its order events (orders followed from account updates and fill records). */
  private readonly trackers = new Map<number, OrderTracker>();
  /** Signatures whose events were read for a vanished order (not read twice). */
  private readonly examined = new Set<string>();
  private nextUserOrderId = 1;
  private accountAge: AccountViewAge | undefined;

  constructor(private readonly opts: DriftVenueOptions) {
    this.subAccount = opts.subAccount;
    this.subs = [...new Set([opts.subAccount, ...(opts.subAccounts ?? [])])].sort((a, b) => a - b);
    this.configs = perpMarketConfigs(opts.env, opts.markets, opts.perpMarkets);
    this.logger = opts.logger.child({ component: 'drift-client' });
  }

  /** The authority (wallet) public key, base58. */
  get authority(): string {
    return this.opts.keypair.publicKey.toBase58();
  }

  async connect(): Promise<void> {
    const { params, env, keypair } = this.opts;
    const connection =
      this.opts.connection ??
      new Connection(this.opts.rpcUrl, {
        commitment: params.commitment,
        ...(this.opts.wsUrl !== undefined && { wsEndpoint: this.opts.wsUrl }),
      });
    const loader =
      params.subscription === 'polling'
        ? new BulkAccountLoader(connection, params.commitment, params.pollingIntervalMs)
        : undefined;
    const accountSubscription: DriftClientSubscriptionConfig = loader
      ? { type: 'polling', accountLoader: loader }
      : { type: 'websocket', commitment: params.commitment };
    this.accountAge = new AccountViewAge({
      subscription: params.subscription,
      confirmMs: params.accountConfirmMs,
      ...(loader && { loaderSlot: () => loader.mostRecentSlot }),
    });
    const usdc = this.opts.quoteSpotMarket ?? SpotMarkets[env][0];
    const client = new DriftClient({
      connection,
      wallet: new Wallet(keypair),
      env,
      accountSubscription,
      ...getMarketsAndOraclesForSubscription(env, this.configs, usdc ? [usdc] : []),
      subAccountIds: this.subs,
      activeSubAccountId: this.subAccount,
      txVersion: 'legacy',
    });
    await this.requireUserAccounts(client);
    this.client = client;
    // The SDK's subscribe() adds the sub-accounts' users in an un-awaited callback (it can return
    // before they are loaded, and ignores their failure): added first, so it finds them subscribed.
    const users = await Promise.all(this.subs.map((sub) => client.addUser(sub)));
    if (!users.every(Boolean)) {
      await client.unsubscribe().catch(() => undefined);
      this.client = undefined;
      throw new Error(`DriftClient subscription to the user accounts of ${this.authority} failed`);
    }
    if (!(await client.subscribe())) {
      await client.unsubscribe().catch(() => undefined);
      this.client = undefined;
      throw new Error(`DriftClient subscription to ${env} failed: markets or oracles not found`);
    }
    try {
      this.specs = this.configs.map((c) => {
        const account = client.getPerpMarketAccount(c.marketIndex);
        if (!account) throw new Error(`perp market ${c.symbol} (${c.marketIndex}) not loaded`);
        return specFromAccount(c.symbol, account);
      });
      for (const sub of this.subs) {
        // The baseline later account updates are compared with (so a vanished order is reported).
        const tracker = this.newTracker(sub);
        tracker.reset(await this.getOpenOrders({ subAccount: sub }), this.accountSlot(sub));
        this.trackers.set(sub, tracker);
      }
      this.watchAccounts(client);
      await this.startPriorityFees(connection);
      await this.startFillEvents(client);
      this.sender = new TxSender({
        connection,
        payer: keypair,
        priorityFee: () => this.priorityFee(),
        computeUnitLimit: params.computeUnitLimit,
        commitment: params.commitment,
        resendIntervalMs: params.confirm.resendIntervalMs,
        pollIntervalMs: params.confirm.pollIntervalMs,
        programErrors: new Map((client.program.idl.errors ?? []).map((e) => [e.code, e.name])),
        logger: this.logger,
      });
    } catch (err) {
      await this.close();
      throw err;
    }
    this.logger.info(
      {
        env,
        authority: this.authority,
        subAccounts: this.subs,
        markets: this.opts.markets,
        subscription: params.subscription,
      },
      'drift venue connected',
    );
    this.deliver({ type: 'connection', state: 'connected' });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await Promise.all(this.eventSubscribers.map((s) => s.unsubscribe().catch(() => false)));
    this.eventSubscribers = [];
    await this.priorityFees?.unsubscribe();
    this.priorityFees = undefined;
    for (const tracker of this.trackers.values()) tracker.close();
    this.trackers.clear();
    if (client) {
      client.eventEmitter.removeAllListeners();
      await client.unsubscribe();
      this.deliver({ type: 'connection', state: 'disconnected' });
    }
  }

  markets(): readonly MarketSpec[] {
    return this.specs;
  }

  /** Up to when this venue's view of the sub-account is known current (see `AccountViewAge`). */
  async accountAsOf(subAccount = this.subAccount): Promise<{ slot: number; ts: number }> {
    const user = this.user(subAccount);
    if (!user || !this.accountAge) throw new Error(`sub-account ${subAccount} is not followed by this venue`);
    return Promise.resolve(this.accountAge.asOf(subAccount, user));
  }

  async clock(): Promise<{ slot: number; ts: number }> {
    return { slot: await this.need().connection.getSlot(), ts: Date.now() };
  }

  async getOraclePrice(market: string): Promise<OraclePrice> {
    const config = this.config(market);
    const data = this.need().getOracleDataForPerpMarket(config.marketIndex);
    const slot = data.slot.toNumber();
    return { market, price: fromBN(data.price), slot, ts: this.seenAt(config.marketIndex, slot) };
  }

  /**
   * The AMM's quote (the SDK's `calculateBidAskPrice`, spreads included) with its open liquidity
   * as size. Resting limit orders are not included: they live in every user's account and need the
   * DLOB server or a full-program subscription, which this venue does not make.
   */
  async getTopOfBook(market: string): Promise<TopOfBook> {
    const config = this.config(market);
    const client = this.need();
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
    return (this.trades.get(market) ?? []).slice(-limit);
  }

  async placeOrder(request: OrderRequest): Promise<PlaceResult> {
    const sub = request.subAccount ?? this.subAccount;
    const spec = this.spec(request.market);
    if (!spec)
      return reject('unknown-market', `${request.market} is not one of ${this.opts.markets.join(', ')}`);
    const checked = checkOrder(spec, request);
    if (!checked.ok) return checked;
    const fresh = checkMaxTs(request.maxTs, Date.now());
    if (!fresh.ok) return fresh;
    const user = this.user(sub);
    if (!user) return reject('venue-error', `sub-account ${sub} is not followed by this venue`);
    const userOrderId = request.userOrderId ?? this.freeUserOrderId(user);
    if (request.userOrderId !== undefined && user.getOrderByUserOrderId(request.userOrderId)) {
      return reject('duplicate-client-id', `userOrderId ${request.userOrderId} is already on an open order`);
    }
    const client = this.need();
    const params = toOrderParams(spec, request, userOrderId);
    if (!isImmediateOrCancel(request)) {
      return this.transact(sub, [await client.getPlacePerpOrderIx(params, sub)], { userOrderId, request });
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
    return this.transact(sub, [ix], {
      userOrderId,
      request,
      // Nothing to take at once (the AMM not yet available to a new taker order, no maker): the
      // program refuses the whole instruction, so nothing was placed: the IOC ends unfilled.
      whenRefused: (err) =>
        err.refusedWith('ImpossibleFill') ? this.unfilledIoc(sub, request, userOrderId, err) : undefined,
    });
  }

  async cancelOrder(orderId: string, scope?: AccountScope): Promise<boolean> {
    const sub = scope?.subAccount ?? this.subAccount;
    const id = Number(orderId);
    const user = this.user(sub);
    if (!user || !Number.isInteger(id) || !user.getOrder(id) || !isVariant(user.getOrder(id)?.status, 'open'))
      return false;
    try {
      await this.send([await this.need().getCancelOrderIx(id, sub)]);
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
      const marketIndex = scope?.market !== undefined ? this.config(scope.market).marketIndex : null;
      await this.send([await this.need().getCancelOrdersIx(MarketType.PERP, marketIndex, null, sub)]);
      await this.user(sub)?.fetchAccounts();
      cancelled += open.length;
    }
    return cancelled;
  }

  /** Drift modifies by cancelling and re-placing under the same userOrderId: the order id changes. */
  async modifyOrder(orderId: string, changes: OrderChanges, scope?: AccountScope): Promise<PlaceResult> {
    const sub = scope?.subAccount ?? this.subAccount;
    const user = this.user(sub);
    const existing = user?.getOrder(Number(orderId));
    if (!user || !existing || !isVariant(existing.status, 'open')) {
      return reject('order-not-found', `no open order ${orderId} on sub-account ${sub}`);
    }
    const market = this.symbolOf(existing.marketIndex);
    const spec = market ? this.spec(market) : undefined;
    if (!spec) return reject('unknown-market', `order ${orderId} is on market index ${existing.marketIndex}`);
    const checked = checkOrder(spec, {
      type: 'limit',
      baseAmount: changes.baseAmount ?? fromBN(existing.baseAssetAmount),
      price: changes.price ?? fromBN(existing.price),
    });
    if (!checked.ok) return checked;
    const fresh = checkMaxTs(changes.maxTs, Date.now());
    if (!fresh.ok) return fresh;
    const ix = await this.need().getModifyOrderIx(
      {
        orderId: existing.orderId,
        ...(changes.baseAmount !== undefined && { newBaseAmount: toBN(changes.baseAmount) }),
        ...(changes.price !== undefined && { newLimitPrice: toBN(changes.price) }),
        ...(changes.maxTs !== undefined && { maxTs: maxTsSeconds(changes.maxTs) }),
      },
      sub,
    );
    const clientOrderId = this.clientIds.get(sub)?.get(existing.orderId);
    return this.transact(sub, [ix], { userOrderId: existing.userOrderId, clientOrderId });
  }

  /**
   * Fills a taker order inside its auction with place-and-make: our maker order (post-only, IOC,
   * at `maker.price`) placed and matched against the taker's in one transaction.
   * - Swift: the taker's signed message (verified on-chain by the ed25519 program) is placed in the
   *   same transaction; `taker.message` is the signed bytes (the hex text of the borsh message).
   * - On-chain auction (`source: 'auction'`, from `AuctionTakerSource`): `taker.uuid` is
   *   `<taker User account>:<order id>`; the account is read fresh, and a taker order that is gone
   *   or past its auction is refused before anything is sent.
   */
  async fillTakerOrder(
    taker: TakerOrder,
    maker: Parameters<Venue['fillTakerOrder']>[1],
  ): Promise<PlaceResult> {
    const sub = maker.subAccount ?? this.subAccount;
    const spec = this.spec(taker.market);
    if (!spec)
      return reject('unknown-market', `${taker.market} is not one of ${this.opts.markets.join(', ')}`);
    if (taker.source === 'swift' && (!taker.message || !taker.signature)) {
      return reject('venue-error', `Swift taker order ${taker.uuid} carries no signed message`);
    }
    const checked = checkOrder(spec, { type: 'limit', baseAmount: maker.baseAmount, price: maker.price });
    if (!checked.ok) return checked;
    const userOrderId = maker.userOrderId ?? this.freeUserOrderId(this.user(sub));
    const makerParams = getLimitOrderParams({
      marketIndex: spec.marketIndex,
      marketType: MarketType.PERP,
      direction: taker.side === 'buy' ? PositionDirection.SHORT : PositionDirection.LONG,
      baseAssetAmount: toBN(maker.baseAmount),
      price: toBN(maker.price),
      postOnly: PostOnlyParams.MUST_POST_ONLY,
      // The SDK's `immediateOrCancel` is not an OrderParams field (the coder would drop it).
      bitFlags: OrderParamsBitFlag.ImmediateOrCancel,
      userOrderId,
    });
    const built =
      taker.source === 'swift'
        ? await this.swiftFillIxs(taker, makerParams, sub)
        : await this.auctionFillIxs(taker, spec, makerParams, sub);
    if (!built.ok) return built;
    return this.transact(sub, built.value, {
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
    const subs = scope?.subAccount !== undefined ? [scope.subAccount] : [this.subAccount];
    const now = await this.nowFromSlot();
    const out: Order[] = [];
    for (const sub of subs) {
      const user = this.user(sub);
      if (!user) continue;
      for (const o of user.getOpenOrders()) {
        const market = this.symbolOf(o.marketIndex);
        if (!market || !isVariant(o.marketType, 'perp') || (scope?.market && scope.market !== market))
          continue;
        const clientOrderId = this.clientIds.get(sub)?.get(o.orderId);
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
    return (this.fills.get(sub) ?? []).filter(
      (f) => (scope?.market === undefined || f.market === scope.market) && f.ts >= (scope?.sinceTs ?? 0),
    );
  }

  async getPositions(scope?: AccountScope): Promise<Position[]> {
    const sub = scope?.subAccount ?? this.subAccount;
    const user = this.user(sub);
    if (!user) return [];
    const out: Position[] = [];
    for (const p of user.getActivePerpPositions()) {
      const market = this.symbolOf(p.marketIndex);
      if (!market || (scope?.market && scope.market !== market)) continue;
      if (p.baseAssetAmount.isZero() && p.quoteAssetAmount.isZero()) continue;
      out.push(toCorePosition(p, sub, market, (await this.getOraclePrice(market)).price));
    }
    return out;
  }

  async getAccount(subAccount = this.subAccount): Promise<AccountState> {
    const user = this.user(subAccount);
    if (!user) throw new Error(`sub-account ${subAccount} is not followed by this venue`);
    const positions = await this.getPositions({ subAccount });
    const oracles = new Map(positions.map((p) => [p.market, 0n]));
    for (const market of oracles.keys()) oracles.set(market, (await this.getOraclePrice(market)).price);
    const unsettledPnl = user
      .getActivePerpPositions()
      .filter((p) => this.symbolOf(p.marketIndex) !== undefined)
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
    return [...this.subs];
  }

  subscribe(listener: (event: VenueEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The priority fee the next transaction pays: the SDK's recent average, scaled, capped. */
  priorityFee(): number {
    const { maxMicroLamports } = this.opts.params.priorityFee;
    const fee = this.priorityFees?.getAvgStrategyResult() ?? 0;
    return Math.min(maxMicroLamports, Math.max(0, Math.floor(fee)));
  }

  /** The SDK client, for callers that need what the Venue interface does not cover. */
  driftClient(): DriftClient {
    return this.need();
  }

  // --- internals ---------------------------------------------------------------------------

  private async swiftFillIxs(
    taker: TakerOrder,
    makerParams: OptionalOrderParams,
    sub: number,
  ): Promise<Checked<TransactionInstruction[]>> {
    const client = this.need();
    const message = taker.message ?? new Uint8Array();
    const decoded = decodeSwiftMessage(client, message);
    const takerAuthority = new PublicKey(taker.taker);
    const takerUser =
      decoded.takerPubkey ??
      getUserAccountPublicKeySync(client.program.programId, takerAuthority, decoded.subAccountId);
    const takerUserAccount = (await client.program.account.user?.fetch(takerUser)) as UserAccount | null;
    if (!takerUserAccount)
      return reject('venue-error', `taker user account ${takerUser.toBase58()} not found`);
    const ixs = await client.getPlaceAndMakeSignedMsgPerpOrderIxs(
      { orderParams: Buffer.from(message), signature: Buffer.from(taker.signature ?? new Uint8Array()) },
      new TextEncoder().encode(taker.uuid),
      {
        taker: takerUser,
        takerUserAccount,
        takerStats: getUserStatsAccountPublicKey(client.program.programId, takerUserAccount.authority),
        signingAuthority: decoded.delegate ? takerUserAccount.delegate : takerAuthority,
      },
      makerParams,
      undefined,
      sub,
    );
    return { ok: true, value: ixs };
  }

  /**
   * `placeAndMakePerpOrder` against an on-chain taker order. The taker's User and UserStats are
   * read in one call at one slot: the order must still be open and in its auction at that slot, and
   * the taker's referrer (from its UserStats) is passed so the program can pay it.
   */
  private async auctionFillIxs(
    taker: TakerOrder,
    spec: MarketSpec,
    makerParams: OptionalOrderParams,
    sub: number,
  ): Promise<Checked<TransactionInstruction[]>> {
    let id: { user: PublicKey; orderId: number };
    let authority: PublicKey;
    try {
      id = parseAuctionUuid(taker.uuid);
      authority = new PublicKey(taker.taker);
    } catch (err) {
      return reject('order-not-found', `auction taker order: ${(err as Error).message}`);
    }
    const client = this.need();
    const programId = client.program.programId;
    const takerStats = getUserStatsAccountPublicKey(programId, authority);
    const { context, value } = await client.connection.getMultipleAccountsInfoAndContext(
      [id.user, takerStats],
      this.opts.params.commitment,
    );
    const [userInfo, statsInfo] = value;
    if (!userInfo) return reject('order-not-found', `taker user account ${id.user.toBase58()} not found`);
    const coder = client.program.coder.accounts;
    const takerUserAccount = coder.decode<UserAccount>('User', userInfo.data);
    if (!takerUserAccount.authority.equals(authority)) {
      return reject('venue-error', `taker ${taker.taker} does not own user account ${id.user.toBase58()}`);
    }
    if (takerUserAccount.authority.equals(this.opts.keypair.publicKey)) {
      return reject('venue-error', `taker order ${taker.uuid} is this venue's own order`);
    }
    const order = takerUserAccount.orders.find(
      (o) =>
        o.orderId === id.orderId &&
        isVariant(o.status, 'open') &&
        o.marketIndex === spec.marketIndex &&
        sideOf(o.direction) === taker.side,
    );
    if (!order) {
      return reject(
        'order-not-found',
        `no open ${spec.symbol} ${taker.side} order ${id.orderId} on ${id.user.toBase58()}`,
      );
    }
    if (!inAuction(order, context.slot)) {
      return reject(
        'auction-ended',
        `taker order ${taker.uuid}: auction ended at slot ${auctionEndSlot(order)} (now ${context.slot})`,
      );
    }
    const unfollowed = unfollowedMarkets(client, takerUserAccount);
    if (unfollowed) {
      return reject(
        'venue-error',
        `taker ${taker.taker} holds positions in markets this venue does not follow: ${unfollowed}`,
      );
    }
    const stats = statsInfo ? coder.decode<UserStatsAccount>('UserStats', statsInfo.data) : undefined;
    const referrer =
      stats && !stats.referrer.equals(PublicKey.default)
        ? {
            referrer: getUserAccountPublicKeySync(programId, stats.referrer, 0),
            referrerStats: getUserStatsAccountPublicKey(programId, stats.referrer),
          }
        : undefined;
    const ix = await client.getPlaceAndMakePerpOrderIx(
      makerParams,
      { taker: id.user, takerStats, takerUserAccount, order },
      referrer,
      sub,
    );
    return { ok: true, value: [ix] };
  }

  /**
   * Sends an order transaction and establishes what it did, in this order: the transaction's own
   * events (`getTransaction`, retried a bounded number of times: load-balanced RPCs answer null
   * for a while after confirmation), the User account (the order resting), the fill events our
   * subscription saw, then the account before and after (`tx-outcome.ts`). When none of them
   * settles it the answer is `outcome-unknown`, never a failure inviting a retry.
   */
  private async transact(
    sub: number,
    ixs: Parameters<TxSender['send']>[0],
    ctx: {
      userOrderId: number;
      request?: OrderRequest;
      clientOrderId?: string | undefined;
      /** The result for a refusal that is not a failure (undefined: rejected with its reason). */
      whenRefused?: (err: TxError) => PlaceResult | undefined;
    },
  ): Promise<PlaceResult> {
    const user = this.user(sub);
    const market = ctx.request ? this.spec(ctx.request.market) : undefined;
    const before = user && market ? this.markOf(user, market.marketIndex) : undefined;
    let sent: Sent;
    try {
      sent = await this.send(ixs);
    } catch (err) {
      if (err instanceof TxError) return ctx.whenRefused?.(err) ?? reject(err.reason, err.message);
      throw err;
    }
    await user?.fetchAccounts();
    const clientOrderId = ctx.request?.clientOrderId ?? ctx.clientOrderId;
    const events = await this.txEvents(sent.signature);
    const now = await this.nowFromSlot();
    // The new order is ours in this transaction's OrderRecords; the User account says if it rests.
    const placed = events?.orders.find(
      (o) => o.order.userOrderId === ctx.userOrderId && user?.getUserAccountPublicKey().equals(o.user),
    )?.order;
    const resting = placed
      ? user?.getOrder(placed.orderId)
      : ctx.userOrderId !== 0
        ? user?.getOrderByUserOrderId(ctx.userOrderId)
        : undefined;
    const sdkOrder = resting ?? placed;
    let order: Order;
    if (sdkOrder) {
      order = toCoreOrder(sdkOrder, {
        subAccount: sub,
        market: this.symbolOf(sdkOrder.marketIndex) ?? String(sdkOrder.marketIndex),
        now,
        ...(clientOrderId !== undefined && { clientOrderId }),
      });
    } else {
      const after = user && market ? this.markOf(user, market.marketIndex) : undefined;
      const request = ctx.request;
      const outcome =
        before && after && request
          ? outcomeFromAccounts(before, after, { ...request, landedSlot: sent.slot })
          : { ok: false as const, why: 'no account state to compare' };
      if (!outcome.ok || !request) {
        const why = outcome.ok ? 'no order request' : outcome.why;
        this.logger.warn(
          { signature: sent.signature, subAccount: sub, userOrderId: ctx.userOrderId, why },
          'order transaction confirmed but its outcome is unknown',
        );
        this.followUnknownOutcome(sub, sent.signature, ctx.userOrderId, clientOrderId);
        return reject(
          'outcome-unknown',
          `transaction ${sent.signature} confirmed but its effect on order userOrderId ${ctx.userOrderId} could not be read (${why}); reconcile, do not retry`,
        );
      }
      order = orderOfRequest(request, {
        orderId: String(outcome.orderId),
        clientOrderId,
        userOrderId: ctx.userOrderId,
        subAccount: sub,
        filledBase: outcome.filledBase,
        status: 'open',
        ts: now.ts,
      });
    }
    if (clientOrderId !== undefined) this.clientOrderIds(sub).set(Number(order.orderId), clientOrderId);
    const recorded = (events?.actions ?? [])
      .map((r) => (user ? this.recordFill(r, sub, user) : undefined))
      .filter((f): f is Fill => f !== undefined);
    // Fills of this order our event subscription already delivered count too (events first).
    const fills = [...new Set([...recorded, ...(this.fills.get(sub) ?? [])])].filter(
      (f) => f.orderId === order.orderId,
    );
    if (!resting) {
      const filled = fills.reduce((sum, f) => sum + f.baseAmount, 0n);
      order.filledBase = maxBig(filled, order.filledBase);
      // Not resting is only proof it ended when the account was read at or after the transaction.
      const accountSlot = user?.getUserAccountAndSlot()?.slot ?? 0;
      if (order.filledBase >= order.baseAmount) order.status = 'filled';
      else if (accountSlot >= sent.slot) order.status = 'cancelled';
    }
    this.logger.info(
      {
        market: order.market,
        orderId: order.orderId,
        clientOrderId,
        subAccount: sub,
        status: order.status,
        signature: sent.signature,
        ...(!events && { events: 'unavailable' }),
      },
      'order transaction confirmed',
    );
    return { ok: true, order, fills };
  }

  /**
   * An IOC order the program refused to place because nothing could fill it at once: the same
   * result as the simulator's IOC with nothing to match (cancelled, unfilled). Its transaction did
   * not land, so it has no Drift order id: `0`, which Drift never gives an order (ids start at 1).
   */
  private unfilledIoc(sub: number, request: OrderRequest, userOrderId: number, err: TxError): PlaceResult {
    const order = orderOfRequest(request, {
      orderId: '0',
      clientOrderId: request.clientOrderId,
      userOrderId,
      subAccount: sub,
      filledBase: 0n,
      status: 'cancelled',
      ts: Date.now(),
    });
    this.logger.info(
      {
        market: request.market,
        side: request.side,
        clientOrderId: request.clientOrderId,
        subAccount: sub,
        ...(err.signature !== undefined && { signature: err.signature }),
      },
      'IOC order had nothing to fill at once (ImpossibleFill): cancelled, nothing placed',
    );
    return { ok: true, order, fills: [] };
  }

  /**
   * Keeps asking for a transaction whose outcome was unknown (backing off, bounded): once its
   * events are read, its fills are delivered with the caller's client order id and the order's
   * final state as an order event, so the order manager settles it from the chain.
   */
  private followUnknownOutcome(
    sub: number,
    signature: string,
    userOrderId: number,
    clientOrderId: string | undefined,
  ): void {
    const { pollIntervalMs, lookupAttempts } = this.opts.params.confirm;
    let attempt = 0;
    const next = () => {
      attempt++;
      const delay = Math.min(30_000, pollIntervalMs * 2 ** (lookupAttempts + attempt));
      const timer = setTimeout(() => void look(), delay);
      timer.unref();
    };
    const look = async () => {
      const client = this.client;
      const user = this.client ? this.user(sub) : undefined;
      if (!client || !user) return;
      const events = await fetchTxEvents(client, signature, this.opts.params.commitment).catch(
        () => undefined,
      );
      if (!events) {
        if (attempt < FOLLOW_UP_ATTEMPTS) next();
        else
          this.logger.error(
            { signature, subAccount: sub, userOrderId },
            'order outcome still unknown: giving up',
          );
        return;
      }
      const placed = events.orders.find(
        (o) => o.order.userOrderId === userOrderId && user.getUserAccountPublicKey().equals(o.user),
      )?.order;
      if (placed && clientOrderId !== undefined) this.clientOrderIds(sub).set(placed.orderId, clientOrderId);
      const fills = events.actions
        .map((r) => this.recordFill(r, sub, user))
        .filter(
          (f): f is Fill => f !== undefined && placed !== undefined && f.orderId === String(placed.orderId),
        );
      if (!placed) return;
      await user.fetchAccounts();
      if (user.getOrder(placed.orderId)) return; // resting: account updates report it
      const order = toCoreOrder(placed, {
        subAccount: sub,
        market: this.symbolOf(placed.marketIndex) ?? String(placed.marketIndex),
        now: await this.nowFromSlot(),
        ...(clientOrderId !== undefined && { clientOrderId }),
      });
      order.filledBase = maxBig(
        order.filledBase,
        fills.reduce((sum, f) => sum + f.baseAmount, 0n),
      );
      order.status = order.filledBase >= order.baseAmount ? 'filled' : 'cancelled';
      this.logger.info(
        { signature, orderId: order.orderId, clientOrderId, status: order.status },
        'unknown order outcome settled from its transaction',
      );
      this.deliver({ type: 'order', order });
    };
    next();
  }

  /** The transaction's events; `getTransaction` retried with a bound while it answers null. */
  private async txEvents(signature: string): Promise<TxEvents | undefined> {
    const { lookupAttempts, pollIntervalMs } = this.opts.params.confirm;
    for (let attempt = 1; attempt <= lookupAttempts; attempt++) {
      try {
        const events = await fetchTxEvents(this.need(), signature, this.opts.params.commitment);
        if (events) return events;
      } catch (err) {
        this.logger.warn({ err, signature }, 'transaction events unreadable');
        return undefined;
      }
      if (attempt < lookupAttempts) await sleep(pollIntervalMs * 2 ** (attempt - 1));
    }
    this.logger.warn({ signature, attempts: lookupAttempts }, 'transaction not returned by getTransaction');
    return undefined;
  }

  private markOf(user: User, marketIndex: number): AccountMark | undefined {
    const current = user.getUserAccountAndSlot();
    return current ? markOf(current.data, current.slot, marketIndex) : undefined;
  }

  private send(ixs: Parameters<TxSender['send']>[0]): Promise<Sent> {
    if (!this.sender) throw new Error('drift venue is not connected');
    return this.sender.send(ixs);
  }

  private watchAccounts(client: DriftClient): void {
    client.eventEmitter.on('oraclePriceUpdate', (publicKey, _source, data) => {
      const config = this.configs.find((c) => c.oracle.equals(publicKey));
      if (!config) return;
      const slot = data.slot.toNumber();
      this.deliver({
        type: 'oracle',
        price: {
          market: config.symbol,
          price: fromBN(data.price),
          slot,
          ts: this.seenAt(config.marketIndex, slot),
        },
      });
    });
    for (const sub of this.subs) {
      client.getUser(sub).eventEmitter.on('userAccountUpdate', () => {
        void this.emitOrderChanges(sub);
      });
    }
  }

  /** Order events for what changed in the user account since the last update. */
  private async emitOrderChanges(sub: number): Promise<void> {
    const open = await this.getOpenOrders({ subAccount: sub });
    this.trackers.get(sub)?.onAccount(open, this.accountSlot(sub));
  }

  /** The slot the sub-account's user account was last read at (0 when not read). */
  private accountSlot(sub: number): number {
    return this.user(sub)?.getUserAccountAndSlot()?.slot ?? 0;
  }

  private newTracker(sub: number): OrderTracker {
    const { pollingIntervalMs } = this.opts.params;
    return new OrderTracker({
      deliver: (order) => this.deliver({ type: 'order', order }),
      filledOf: (orderId) =>
        (this.fills.get(sub) ?? [])
          .filter((f) => f.orderId === String(orderId))
          .reduce((sum, f) => sum + f.baseAmount, 0n),
      readRecentFills: (sinceSlot) => this.readRecentFills(sub, sinceSlot),
      reasonOf: (orderId) => this.cancelReasons.get(sub)?.get(orderId),
      graceMs: Math.max(ORDER_END_GRACE_MS, 2 * pollingIntervalMs),
      now: () => Date.now(),
    });
  }

  /**
   * Reads the sub-account's recent transactions not read yet and records their fills; false when
   * one that landed after `sinceSlot` could not be read (the node answered null).
   */
  private async readRecentFills(sub: number, sinceSlot: number): Promise<boolean> {
    const client = this.need();
    const user = this.user(sub);
    if (!user) return true;
    const commitment = this.opts.params.commitment === 'finalized' ? 'finalized' : 'confirmed';
    const signatures = await client.connection.getSignaturesForAddress(
      user.getUserAccountPublicKey(),
      { limit: RECENT_TRANSACTIONS_READ },
      commitment,
    );
    const unread: string[] = [];
    for (const { signature, err, slot } of signatures.reverse()) {
      if (err || this.examined.has(signature)) continue;
      const events = await fetchTxEvents(client, signature, commitment);
      if (!events) {
        if (slot > sinceSlot) unread.push(signature);
        continue;
      }
      this.examined.add(signature);
      for (const record of events.actions) this.recordFill(record, sub, user);
    }
    if (this.examined.size > 4 * RECENT_TRANSACTIONS_READ) {
      const keep = [...this.examined].slice(-RECENT_TRANSACTIONS_READ);
      this.examined.clear();
      for (const s of keep) this.examined.add(s);
    }
    if (unread.length === 0) return true;
    this.logger.warn(
      { subAccount: sub, signatures: unread },
      'recent transactions not readable yet: orders that left the account wait for them',
    );
    return false;
  }

  /** Fails with the missing sub-accounts named (the SDK's own error does not say which). */
  private async requireUserAccounts(client: DriftClient): Promise<void> {
    const keys = this.subs.map((sub) =>
      getUserAccountPublicKeySync(client.program.programId, this.opts.keypair.publicKey, sub),
    );
    const infos = await client.connection.getMultipleAccountsInfo(keys);
    const missing = this.subs.filter((_, i) => !infos[i]);
    if (missing.length > 0) {
      const which = missing.length === 1 ? `sub-account ${missing[0]}` : `sub-accounts ${missing.join(', ')}`;
      throw new Error(`${which} of ${this.authority} has no Drift user account on ${this.opts.env}`);
    }
  }

  private async startPriorityFees(connection: Connection): Promise<void> {
    const { priorityFee } = this.opts.params;
    this.priorityFees = new PriorityFeeSubscriber({
      connection,
      frequencyMs: priorityFee.refreshMs,
      addresses: this.configs.map((c) =>
        getPerpMarketPublicKeySync(this.need().program.programId, c.marketIndex),
      ),
      priorityFeeMethod: PriorityFeeMethod.SOLANA,
      maxFeeMicroLamports: priorityFee.maxMicroLamports,
      priorityFeeMultiplier: priorityFee.multiplier,
    });
    // The SDK's first load throws on an RPC that reports no recent fees; later loads may succeed.
    await this.priorityFees.subscribe().catch((err: unknown) => {
      this.logger.warn({ err }, 'priority fees unavailable; paying 0 until the next refresh');
    });
  }

  private async startFillEvents(client: DriftClient): Promise<void> {
    const { params } = this.opts;
    for (const sub of this.subs) {
      const user = client.getUser(sub);
      const subscriber = new EventSubscriber(client.connection, withLenientEvents(client.program), {
        address: user.getUserAccountPublicKey(),
        eventTypes: ['OrderActionRecord'],
        commitment: params.commitment === 'processed' ? 'confirmed' : params.commitment,
        maxTx: 1024,
        maxEventsPerType: 1024,
        orderBy: 'blockchain',
        orderDir: 'asc',
        logProviderConfig:
          params.events === 'polling'
            ? { type: 'polling', frequency: params.pollingIntervalMs }
            : { type: 'websocket' },
      });
      subscriber.eventEmitter.on('newEvent', (event) => {
        if (event.eventType !== 'OrderActionRecord') return;
        const fill = this.recordFill(event as unknown as OrderActionRecord, sub, user);
        if (fill)
          this.logger.info(
            { market: fill.market, orderId: fill.orderId, fillId: fill.fillId, subAccount: sub },
            'fill',
          );
      });
      await subscriber.subscribe();
      this.eventSubscribers.push(subscriber);
    }
  }

  /**
   * Stores and announces our fill in `record` (once per fill id); returns it. A cancel of our order
   * with a known explanation is kept as that order's end reason.
   */
  private recordFill(record: OrderActionRecord, sub: number, user: User): Fill | undefined {
    const cancel = cancelReasonOf(record, user.getUserAccountPublicKey());
    if (cancel) {
      const reasons = this.cancelReasons.get(sub) ?? new Map<number, RejectReason>();
      reasons.set(cancel.orderId, cancel.reason);
      if (reasons.size > FILLS_KEPT) reasons.delete(reasons.keys().next().value as number);
      this.cancelReasons.set(sub, reasons);
    }
    const market = this.symbolOf(record.marketIndex);
    if (!market || !isVariant(record.marketType, 'perp')) return undefined;
    const fill = toCoreFill(record, {
      user: user.getUserAccountPublicKey(),
      subAccount: sub,
      market,
      clientOrderIdOf: (orderId) => this.clientIds.get(sub)?.get(orderId),
    });
    if (!fill) return undefined;
    const list = this.fills.get(sub) ?? [];
    const known = list.find((f) => f.fillId === fill.fillId);
    if (known) return known;
    list.push(fill);
    if (list.length > FILLS_KEPT) list.splice(0, list.length - FILLS_KEPT);
    this.fills.set(sub, list);
    const trades = this.trades.get(market) ?? [];
    const takerSide = fill.liquidity === 'taker' ? fill.side : fill.side === 'buy' ? 'sell' : 'buy';
    trades.push({ market, price: fill.price, baseAmount: fill.baseAmount, side: takerSide, ts: fill.ts });
    if (trades.length > TRADES_KEPT) trades.splice(0, trades.length - TRADES_KEPT);
    this.trades.set(market, trades);
    this.deliver({ type: 'fill', fill });
    const progress = fillProgress(record, fill);
    if (progress) this.trackers.get(sub)?.onFill(progress);
    return fill;
  }

  private deliver(event: VenueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, event: event.type }, 'venue listener threw');
      }
    }
  }

  private need(): DriftClient {
    if (!this.client) throw new Error('drift venue is not connected');
    return this.client;
  }

  private user(sub: number): User | undefined {
    const client = this.need();
    return this.subs.includes(sub) && client.hasUser(sub) ? client.getUser(sub) : undefined;
  }

  private config(market: string): PerpMarketConfig {
    const config = this.configs.find((c) => c.symbol === market);
    if (!config) throw new RangeError(`market ${market} is not one of ${this.opts.markets.join(', ')}`);
    return config;
  }

  private spec(market: string): MarketSpec | undefined {
    return this.specs.find((s) => s.symbol === market);
  }

  private symbolOf(marketIndex: number): string | undefined {
    return this.configs.find((c) => c.marketIndex === marketIndex)?.symbol;
  }

  private clientOrderIds(sub: number): Map<number, string> {
    let map = this.clientIds.get(sub);
    if (!map) {
      map = new Map();
      this.clientIds.set(sub, map);
    }
    return map;
  }

  /** A 1..255 user order id no open order of the sub-account uses. */
  private freeUserOrderId(user: User | undefined): number {
    const used = new Set(user?.getOpenOrders().map((o) => o.userOrderId) ?? []);
    for (let i = 0; i < 255; i++) {
      const id = this.nextUserOrderId;
      this.nextUserOrderId = (this.nextUserOrderId % 255) + 1;
      if (!used.has(id)) return id;
    }
    throw new Error('all 255 user order ids are in use');
  }

  private seenAt(marketIndex: number, slot: number): number {
    const seen = this.oracleSeen.get(marketIndex);
    if (seen && seen.slot === slot) return seen.ts;
    const ts = Date.now();
    this.oracleSeen.set(marketIndex, { slot, ts });
    return ts;
  }

  private async nowFromSlot(): Promise<{ slot: number; ts: number }> {
    const client = this.need();
    const slot = client.getUser(this.subAccount).getUserAccountAndSlot()?.slot ?? 0;
    return { slot, ts: Date.now() };
  }
}

/** How far the fill's order is filled in all, from the record's side of it. */
function fillProgress(record: OrderActionRecord, fill: Fill): FillProgress | undefined {
  const maker = fill.liquidity === 'maker';
  const base = maker ? record.makerOrderBaseAssetAmount : record.takerOrderBaseAssetAmount;
  const cumulative = maker
    ? record.makerOrderCumulativeBaseAssetAmountFilled
    : record.takerOrderCumulativeBaseAssetAmountFilled;
  if (!base || !cumulative) return undefined;
  const baseAmount = fromBN(base);
  const cumulativeFilled = fromBN(cumulative);
  return {
    orderId: Number(fill.orderId),
    baseAmount,
    cumulativeFilled,
    order: () => ({
      orderId: fill.orderId,
      ...(fill.clientOrderId !== undefined && { clientOrderId: fill.clientOrderId }),
      subAccount: fill.subAccount,
      market: fill.market,
      side: fill.side,
      type: maker ? 'limit' : 'market',
      baseAmount,
      filledBase: cumulativeFilled,
      status: cumulativeFilled >= baseAmount ? 'filled' : 'partially-filled',
      postOnly: false,
      reduceOnly: false,
      ioc: false,
      createdAt: fill.ts,
      updatedAt: fill.ts,
    }),
  };
}

/** The order a request became, for when the chain gave no order record to read it from. */
function orderOfRequest(
  request: OrderRequest,
  known: {
    orderId: string;
    clientOrderId: string | undefined;
    userOrderId: number;
    subAccount: number;
    filledBase: bigint;
    status: Order['status'];
    ts: number;
  },
): Order {
  return {
    orderId: known.orderId,
    ...(known.clientOrderId !== undefined && { clientOrderId: known.clientOrderId }),
    userOrderId: known.userOrderId,
    subAccount: known.subAccount,
    market: request.market,
    side: request.side,
    type: request.type,
    ...(request.price !== undefined && { price: request.price }),
    baseAmount: request.baseAmount,
    filledBase: known.filledBase,
    status: known.status,
    postOnly: request.postOnly ?? false,
    reduceOnly: request.reduceOnly ?? false,
    ioc: request.ioc ?? false,
    createdAt: known.ts,
    updatedAt: known.ts,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function reject(reason: RejectReason, message: string): { ok: false; reason: RejectReason; message: string } {
  return { ok: false, reason, message };
}

/**
 * Markets the taker's account uses that this venue's DriftClient does not follow: the SDK needs
 * every one of them (and its oracle) to list the instruction's accounts, and would throw.
 */
function unfollowedMarkets(client: DriftClient, account: UserAccount): string | undefined {
  const perps = account.perpPositions
    .filter((p) => !positionIsAvailable(p) && !client.getPerpMarketAccount(p.marketIndex))
    .map((p) => `perp ${p.marketIndex}`);
  const spots = account.spotPositions
    .filter((p) => !isSpotPositionAvailable(p) && !client.getSpotMarketAccount(p.marketIndex))
    .map((p) => `spot ${p.marketIndex}`);
  const all = [...perps, ...spots];
  return all.length > 0 ? all.join(', ') : undefined;
}
