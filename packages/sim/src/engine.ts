/**
 * The simulated exchange: oracle paths, order books, JIT auctions, the signed taker stream,
 * sub-account margin and PnL, funding, a slot clock, and a full history. Synchronous and
 * deterministic for a seed: the same calls at the same slots give the same history byte for byte.
 */
import {
  type AccountScope,
  type AccountState,
  absBig,
  type Fill,
  type MarketSpec,
  maxBig,
  minBig,
  type OraclePrice,
  type Order,
  type OrderChanges,
  type OrderRequest,
  type PlaceResult,
  type Position,
  type PriceLevel,
  quoteValue,
  type RejectReason,
  rejectReasonFrom,
  type Side,
  type TakerOrder,
  type TopOfBook,
  type Trade,
} from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { auctionBounds, auctionPriceAt, makerPriceAcceptable } from './auction.js';
import { crosses, OrderBook, type RestingOrder, remainingOf } from './book.js';
import { Competition, type RivalBid } from './competition.js';
import {
  type AuctionConfig,
  DEFAULTS,
  type FundingConfig,
  type SimEngineConfig,
  type TakerFlowConfig,
} from './config.js';
import { type FeeTierRates, fillFee, ratesFor } from './fee-tiers.js';
import { fundingCredit, premiumRatePpb } from './funding.js';
import { type HistoryEntry, HistoryLog, type UnstampedEntry } from './history.js';
import { Ledger, leverageBps, toPosition, unrealizedPnl } from './ledger.js';
import { silentLogger } from './log.js';
import { type MarginState, type MarketMargin, marginState } from './margin.js';
import { type OraclePath, RandomWalkPath, ReplayPath } from './oracle.js';
import { checkPrice, checkSize, type Rejection } from './order-checks.js';
import { snapshotOrder } from './order-snapshot.js';
import { Prng } from './prng.js';
import { TakerFlow } from './taker-flow.js';

/**
 * How long a taker order whose auction ran out is remembered (1,500 slots: 10 minutes), so that a
 * fill reaching it late is told `auction-ended` rather than `order-not-found`.
 */
const ENDED_AUCTION_MEMORY_SLOTS = 1_500;

/** Everything the engine announces, in the order it happened. */
export type SimEvent =
  | { type: 'fill'; fill: Fill }
  | { type: 'order'; order: Order }
  | { type: 'oracle'; price: OraclePrice }
  | { type: 'trade'; trade: Trade }
  | { type: 'taker'; order: TakerOrder }
  | { type: 'halt'; reason: string }
  | { type: 'resume' };

export type SimListener = (event: SimEvent) => void;

/** Engine-level scope: no sub-account means every sub-account. */
export type EngineScope = AccountScope;

export interface MakerFill {
  price: bigint;
  baseAmount: bigint;
  subAccount: number;
  /** The maker's own decision time, µs, measured in its process: part of when its fill lands. */
  decisionUs?: number;
}

/** A live auction: a sub-account's market order, or a stream taker's signed order. */
interface Auction {
  taker: TakerOrder;
  endSlot: number;
  remaining: bigint;
  /** Set for a sub-account's market order. */
  order?: Order;
  /** Rival makers' fills, earliest landing first; those before `nextBid` have landed. */
  bids: RivalBid[];
  nextBid: number;
  /** Who filled it last: `rival:<name>` or `sub-account:<n>`. */
  lastFiller?: string;
}

interface MarketState {
  spec: MarketSpec;
  book: OrderBook;
  path: OraclePath;
  oracle: OraclePrice;
  trades: Trade[];
  auctions: Map<string, Auction>;
  /** Auctions in end-slot order (lazy: settled or cancelled ones are skipped). */
  auctionQueue: Auction[];
  /** Taker orders whose auctions ran out unfilled, by uuid, to their end slot (the last few minutes). */
  endedAuctions: Map<string, number>;
  /** Sums since the last funding payment, for the premium TWAPs. */
  midSum: bigint;
  oracleSum: bigint;
  samples: bigint;
}

/**
 * Open (non-reduce-only) order size per side, per market, and the number of open orders (all of
 * them: the program charges each one), for the margin requirement.
 */
interface Exposure {
  bids: bigint;
  asks: bigint;
  orders: number;
}

export class SimEngine {
  private readonly prng: Prng;
  private readonly marketStates = new Map<string, MarketState>();
  private readonly specs: MarketSpec[];
  private readonly ledger: Ledger;
  private readonly baseFees: FeeTierRates;
  private readonly feeTiers: readonly FeeTierRates[];
  /** 30-day volume per sub-account (configured, plus what it trades while tiers are set): its fee tier. */
  private readonly volume = new Map<number, bigint>();
  private readonly auctionConfig: AuctionConfig;
  private readonly fundingConfig: FundingConfig;
  private readonly takerFlow: TakerFlow | undefined;
  private readonly competition: Competition | undefined;
  private readonly oracleIntervalSlots: number;
  private readonly tradesKept: number;
  private readonly startTs: number;
  private readonly slotMs: number;
  private readonly logger: LoggerLike;

  private slot: number;
  /** The slot number at `startTs` (0, or a recording's first slot when replaying one). */
  private readonly firstSlot: number;
  /** Recorded taker orders still to open, by their recorded start slot (see recording.ts). */
  private readonly replayTakers: readonly TakerOrder[];
  private nextReplayTaker = 0;
  private carryMs = 0;
  private nextFundingTs: number;
  private orderSeq = 0;
  private fillSeq = 0;
  private readonly openOrders = new Map<string, Order>();
  /** Open orders that carry a `maxTs`: swept every slot, so none outlives it. */
  private readonly expiring = new Map<string, Order>();
  /** `subAccount:clientOrderId` of open orders: a client id is unique among its sub-account's open orders. */
  private readonly openClientIds = new Set<string>();
  private readonly exposure = new Map<number, Map<string, Exposure>>();
  private readonly fillsBySub = new Map<number, Fill[]>();
  private readonly log: HistoryLog;
  private readonly listeners = new Set<SimListener>();
  private readonly pending: SimEvent[] = [];
  private flushing = false;
  private haltReason: string | undefined;
  /** Markets whose oracle feed is stalled (a fault for tests): the last reading stays, stamps and all. */
  private readonly stalledOracles = new Set<string>();
  private realtime: NodeJS.Timeout | undefined;

  constructor(config: SimEngineConfig, logger: LoggerLike = silentLogger) {
    this.logger = logger.child({ component: 'sim' });
    this.prng = new Prng(config.seed);
    this.startTs = config.startTs ?? DEFAULTS.startTs;
    this.slotMs = config.slotMs ?? DEFAULTS.slotMs;
    if (!(Number.isSafeInteger(this.slotMs) && this.slotMs > 0))
      throw new RangeError(`slotMs ${this.slotMs} must be a whole number of ms > 0`);
    this.ledger = new Ledger(config.defaultCollateral ?? DEFAULTS.defaultCollateral);
    for (const [id, collateral] of Object.entries(config.subAccounts ?? {})) {
      this.ledger.open(Number(id), collateral);
    }
    this.baseFees = {
      taker: config.takerFeeRate ?? DEFAULTS.takerFeeRate,
      maker: config.makerFeeRate ?? DEFAULTS.makerFeeRate,
    };
    this.feeTiers = config.feeTiers ?? [];
    for (const [id, volume] of Object.entries(config.volume30d ?? {})) this.volume.set(Number(id), volume);
    this.auctionConfig = { ...DEFAULTS.auction, ...config.auction };
    this.fundingConfig = { ...DEFAULTS.funding, ...config.funding };
    const flow: TakerFlowConfig = { ...DEFAULTS.takerFlow, ...config.takerFlow };
    this.oracleIntervalSlots = Math.max(1, config.oracleIntervalSlots ?? DEFAULTS.oracleIntervalSlots);
    this.tradesKept = config.tradesKept ?? DEFAULTS.tradesKept;
    this.firstSlot = config.firstSlot ?? 0;
    this.slot = this.firstSlot;
    this.replayTakers = [...(config.replayTakers ?? [])].sort(
      (a, b) => a.auction.startSlot - b.auction.startSlot,
    );
    this.log = new HistoryLog(
      this.startTs - this.firstSlot * this.slotMs,
      this.slotMs,
      config.recordHistory ?? true,
    );
    this.nextFundingTs = this.startTs + this.fundingConfig.intervalMs;
    this.specs = config.markets.map((m) => m.spec);
    for (const market of config.markets) {
      const symbol = market.spec.symbol;
      if (this.marketStates.has(symbol)) throw new RangeError(`market ${symbol} is configured twice`);
      const path: OraclePath = market.replay
        ? new ReplayPath(market.replay, this.startTs)
        : new RandomWalkPath(
            {
              startPrice: market.startPrice,
              volatilityBps: market.volatilityBps ?? 0,
              driftBps: market.driftBps ?? 0,
              tickSize: market.spec.tickSize,
              stepMs: this.slotMs * this.oracleIntervalSlots,
            },
            this.prng.fork(),
          );
      const price = path.priceAt(this.startTs);
      this.marketStates.set(symbol, {
        spec: market.spec,
        book: new OrderBook(),
        path,
        oracle: { market: symbol, price, ts: this.startTs, slot: this.firstSlot },
        trades: [],
        auctions: new Map(),
        auctionQueue: [],
        endedAuctions: new Map(),
        midSum: 0n,
        oracleSum: 0n,
        samples: 0n,
      });
    }
    // A replayed stream replaces the random one.
    this.takerFlow =
      flow.ordersPerMinute > 0 && this.replayTakers.length === 0
        ? new TakerFlow(flow, this.slotMs, this.prng.fork())
        : undefined;
    // Forked last, and only when configured: runs without rivals draw the same numbers as before.
    this.competition = config.competition
      ? new Competition({ ...DEFAULTS.competition, ...config.competition }, this.slotMs, this.prng.fork())
      : undefined;
  }

  // ---- clock -------------------------------------------------------------------------------

  clock(): { slot: number; ts: number } {
    return { slot: this.slot, ts: this.now() };
  }

  private now(): number {
    return this.startTs + (this.slot - this.firstSlot) * this.slotMs;
  }

  /** Moves venue time forward by `ms` (whole slots; the remainder carries to the next call). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance: ms ${ms} must be >= 0`);
    const total = this.carryMs + ms;
    const slots = Math.floor(total / this.slotMs);
    this.carryMs = total - slots * this.slotMs;
    this.advanceSlots(slots);
  }

  advanceSlots(slots: number): void {
    for (let i = 0; i < slots; i++) this.tick();
    this.flush();
  }

  /** Runs the clock against wall time: `speed` venue ms per wall ms. */
  startRealtime(speed = 1): void {
    if (!(speed > 0)) throw new RangeError(`speed ${speed} must be > 0`);
    this.stopRealtime();
    let lastWall = performance.now();
    const intervalMs = Math.max(5, Math.min(this.slotMs, Math.floor(this.slotMs / speed)));
    this.realtime = setInterval(() => {
      const wall = performance.now();
      this.advance((wall - lastWall) * speed);
      lastWall = wall;
    }, intervalMs);
    this.realtime.unref();
  }

  stopRealtime(): void {
    if (this.realtime) clearInterval(this.realtime);
    this.realtime = undefined;
  }

  private tick(): void {
    this.slot++;
    const ts = this.now();
    // First of the slot: an order past its maxTs is never filled by anything this slot does.
    if (this.expiring.size > 0) this.expirePast(ts);
    const oracleStep = this.slot % this.oracleIntervalSlots === 0;
    for (const m of this.marketStates.values()) {
      if (oracleStep && !this.stalledOracles.has(m.spec.symbol)) {
        m.oracle = { market: m.spec.symbol, price: m.path.priceAt(ts), ts, slot: this.slot };
        this.emit({ type: 'oracle', price: m.oracle });
      }
      this.sampleFunding(m);
      // Rival fills that landed during the last slot, before anything of this slot happens.
      if (this.competition)
        for (const a of m.auctions.values()) this.landRivals(m, a, this.slot * this.slotMs);
      for (const a of m.auctions.values()) this.matchAuctionWithBook(m, a);
      this.settleEndedAuctions(m);
      if (this.takerFlow) {
        for (let n = this.takerFlow.countThisSlot(); n > 0; n--) this.openStreamTaker(m);
      }
    }
    this.openReplayedTakers();
    if (ts >= this.nextFundingTs) {
      for (const m of this.marketStates.values()) this.payFunding(m);
      this.nextFundingTs += this.fundingConfig.intervalMs;
    }
  }

  // ---- market data -------------------------------------------------------------------------

  markets(): readonly MarketSpec[] {
    return this.specs;
  }

  oracle(market: string): OraclePrice {
    return this.market(market).oracle;
  }

  topOfBook(market: string): TopOfBook {
    const { book } = this.market(market);
    const top: TopOfBook = { market };
    const [bid] = book.bids.depth(1);
    const [ask] = book.asks.depth(1);
    if (bid) top.bestBid = bid;
    if (ask) top.bestAsk = ask;
    return top;
  }

  book(market: string, levels = 10): { market: string; bids: PriceLevel[]; asks: PriceLevel[] } {
    const { book } = this.market(market);
    return { market, bids: book.bids.depth(levels), asks: book.asks.depth(levels) };
  }

  recentTrades(market: string, limit = 100): Trade[] {
    const { trades } = this.market(market);
    return trades.slice(Math.max(0, trades.length - limit));
  }

  /** Taker orders whose auctions are still running in `market`. */
  activeTakerOrders(market: string): TakerOrder[] {
    const m = this.market(market);
    return [...m.auctions.values()].filter((a) => a.remaining > 0n).map((a) => a.taker);
  }

  private market(symbol: string): MarketState {
    const m = this.marketStates.get(symbol);
    if (!m) throw new RangeError(`unknown market "${symbol}"`);
    return m;
  }

  // ---- orders ------------------------------------------------------------------------------

  place(subAccount: number, request: OrderRequest): PlaceResult {
    const result = this.placeInner(subAccount, request);
    this.flush();
    return result;
  }

  private placeInner(subAccount: number, request: OrderRequest): PlaceResult {
    const rejection = this.validatePlace(subAccount, request);
    if (rejection) return this.reject(subAccount, request, rejection[0], rejection[1]);
    const m = this.market(request.market);
    const ts = this.now();
    const order: Order = {
      orderId: String(++this.orderSeq),
      subAccount,
      market: request.market,
      side: request.side,
      type: request.type,
      baseAmount: request.baseAmount,
      filledBase: 0n,
      status: 'open',
      postOnly: request.postOnly ?? false,
      reduceOnly: request.reduceOnly ?? false,
      ioc: request.ioc ?? false,
      createdAt: ts,
      updatedAt: ts,
    };
    if (request.price !== undefined) order.price = request.price;
    if (request.clientOrderId !== undefined) order.clientOrderId = request.clientOrderId;
    if (request.userOrderId !== undefined) order.userOrderId = request.userOrderId;
    if (request.maxTs !== undefined) {
      order.maxTs = request.maxTs;
      this.expiring.set(order.orderId, order);
    }
    this.ledger.get(subAccount);
    this.openOrders.set(order.orderId, order);
    if (order.clientOrderId !== undefined) this.openClientIds.add(clientKey(subAccount, order.clientOrderId));
    this.trackExposure(order, remainingOf(order));
    this.countOrder(order, 1);
    this.log.order(this.slot, order, undefined);
    if (this.listeners.size > 0) this.emit({ type: 'order', order: snapshotOrder(order) });
    const fills: Fill[] = [];
    if (order.type === 'market') {
      const before = this.fillsBySub.get(subAccount)?.length ?? 0;
      this.openMarketOrderAuction(m, order);
      // With a zero-slot auction the order settles at once: its fills belong in the result.
      for (const fill of this.fillsBySub.get(subAccount)?.slice(before) ?? [])
        if (fill.orderId === order.orderId) fills.push(fill);
    } else {
      const selfCross = this.matchIncoming(m, order as RestingOrder, fills);
      if (order.status === 'open' || order.status === 'partially-filled') {
        if (order.ioc || selfCross) this.close(order, 'cancelled', 'cancel');
        else m.book.sideOf(order.side).add(order as RestingOrder);
      }
    }
    return { ok: true, order: snapshotOrder(order), fills };
  }

  private validatePlace(subAccount: number, request: OrderRequest): Rejection | undefined {
    if (this.haltReason !== undefined) return ['halted', `venue halted: ${this.haltReason}`];
    const m = this.marketStates.get(request.market);
    if (!m) return ['unknown-market', `unknown market "${request.market}"`];
    const sizeProblem = checkSize(m.spec, request.baseAmount);
    if (sizeProblem) return sizeProblem;
    if (request.type === 'limit' && request.price === undefined)
      return ['invalid-price', 'a limit order needs a price'];
    const expiry = this.checkMaxTs(request.maxTs);
    if (expiry) return expiry;
    if (request.price !== undefined) {
      const priceProblem = checkPrice(m.spec, request.price);
      if (priceProblem) return priceProblem;
    }
    if (
      request.clientOrderId !== undefined &&
      this.openClientIds.has(clientKey(subAccount, request.clientOrderId))
    )
      return ['duplicate-client-id', `clientOrderId "${request.clientOrderId}" is already open`];
    if (request.postOnly) {
      if (request.type === 'market') return ['post-only-would-cross', 'a market order always takes'];
      const best = m.book.opposite(request.side).bestPrice();
      if (best !== undefined && crosses(request.side, request.price!, best))
        return [
          'post-only-would-cross',
          `PlacePostOnlyLimitFailure: post-only ${request.side} at ${request.price} crosses ${best}`,
        ];
    }
    if (request.reduceOnly) {
      const position = this.ledger.baseOf(subAccount, request.market);
      const reduces = request.side === 'buy' ? position < 0n : position > 0n;
      if (!reduces || request.baseAmount > absBig(position))
        return [
          'reduce-only-increases',
          `reduce-only ${request.side} of ${request.baseAmount} against position ${position}`,
        ];
    } else if (!this.marginAllows(subAccount, request.market, request.side, request.baseAmount, 1)) {
      return [
        'insufficient-margin',
        `InsufficientCollateral: not enough free collateral on sub-account ${subAccount}`,
      ];
    }
    return undefined;
  }

  private reject(
    subAccount: number,
    request: OrderRequest,
    reason: RejectReason,
    message: string,
  ): PlaceResult {
    this.record({ kind: 'order-rejected', subAccount, request: { ...request }, reason, message });
    return { ok: false, reason, message };
  }

  cancel(orderId: string, scope: EngineScope = {}): boolean {
    const order = this.openOrders.get(orderId);
    if (!order || !inScope(order, scope)) return false;
    this.cancelOpen(order);
    this.flush();
    return true;
  }

  cancelAll(scope: EngineScope = {}): number {
    let count = 0;
    for (const order of [...this.openOrders.values()]) {
      if (!inScope(order, scope)) continue;
      this.cancelOpen(order);
      count++;
    }
    this.flush();
    return count;
  }

  private cancelOpen(order: Order): void {
    this.takeOffBook(order);
    this.close(order, 'cancelled', 'cancel');
  }

  private takeOffBook(order: Order): void {
    const m = this.market(order.market);
    if (order.type === 'market') m.auctions.delete(order.orderId);
    else m.book.sideOf(order.side).remove(order as RestingOrder);
  }

  /** Drift's rule: an order is expired once venue time is past its maxTs. */
  private expirePast(ts: number): void {
    for (const order of [...this.expiring.values()]) {
      if (ts <= order.maxTs!) continue;
      this.takeOffBook(order);
      this.close(order, 'expired', 'expire');
    }
  }

  /** Drift's `InvalidOrderMaxTs`: a maxTs must be after venue time. */
  private checkMaxTs(maxTs: number | undefined): Rejection | undefined {
    if (maxTs === undefined || maxTs > this.now()) return undefined;
    return ['order-expired', `InvalidOrderMaxTs: maxTs ${maxTs} is not after venue time ${this.now()}`];
  }

  /**
   * Changes a resting limit order's price, total size and/or expiry. A pure size decrease or a new
   * expiry keeps time priority; anything else re-queues it (and it may match at once unless
   * post-only). On rejection the original order is untouched.
   */
  modify(orderId: string, changes: OrderChanges, scope: EngineScope = {}): PlaceResult {
    const result = this.modifyInner(orderId, changes, scope);
    this.flush();
    return result;
  }

  private modifyInner(orderId: string, changes: OrderChanges, scope: EngineScope): PlaceResult {
    const order = this.openOrders.get(orderId);
    const asRequest = (): OrderRequest => ({
      market: order?.market ?? scope.market ?? '',
      side: order?.side ?? 'buy',
      type: order?.type ?? 'limit',
      baseAmount: changes.baseAmount ?? order?.baseAmount ?? 0n,
      ...(changes.price !== undefined ? { price: changes.price } : {}),
    });
    const fail = (reason: RejectReason, message: string) =>
      this.reject(order?.subAccount ?? scope.subAccount ?? -1, asRequest(), reason, message);
    if (!order || !inScope(order, scope)) return fail('order-not-found', `no open order ${orderId}`);
    if (this.haltReason !== undefined) return fail('halted', `venue halted: ${this.haltReason}`);
    if (order.type !== 'limit')
      return fail('venue-error', 'a market order in its auction cannot be modified');
    const m = this.market(order.market);
    const price = changes.price ?? order.price!;
    const baseAmount = changes.baseAmount ?? order.baseAmount;
    const priceProblem = checkPrice(m.spec, price);
    if (priceProblem) return fail(...priceProblem);
    const sizeProblem = checkSize(m.spec, baseAmount);
    if (sizeProblem) return fail(...sizeProblem);
    if (baseAmount <= order.filledBase)
      return fail('invalid-size', `size ${baseAmount} is not above the filled ${order.filledBase}`);
    const expiry = this.checkMaxTs(changes.maxTs);
    if (expiry) return fail(...expiry);
    const best = m.book.opposite(order.side).bestPrice();
    if (order.postOnly && best !== undefined && crosses(order.side, price, best))
      return fail('post-only-would-cross', `post-only ${order.side} at ${price} crosses ${best}`);
    const newRemaining = baseAmount - order.filledBase;
    const oldRemaining = remainingOf(order);
    if (order.reduceOnly) {
      if (newRemaining > absBig(this.ledger.baseOf(order.subAccount, order.market)))
        return fail('reduce-only-increases', `reduce-only size ${newRemaining} exceeds the position`);
    } else if (
      newRemaining > oldRemaining &&
      !this.marginAllows(order.subAccount, order.market, order.side, newRemaining - oldRemaining)
    ) {
      return fail(
        'insufficient-margin',
        `InsufficientCollateral: not enough free collateral on sub-account ${order.subAccount}`,
      );
    }
    const side = m.book.sideOf(order.side);
    const keepsPriority = price === order.price && newRemaining <= oldRemaining;
    if (!keepsPriority) side.remove(order as RestingOrder);
    this.trackExposure(order, newRemaining - oldRemaining);
    order.price = price;
    order.baseAmount = baseAmount;
    if (changes.maxTs !== undefined) {
      order.maxTs = changes.maxTs;
      this.expiring.set(order.orderId, order);
    }
    order.updatedAt = this.now();
    this.recordOrderUpdate(order, 'modify');
    const fills: Fill[] = [];
    if (!keepsPriority) {
      const selfCross = this.matchIncoming(m, order as RestingOrder, fills);
      if (order.status === 'open' || order.status === 'partially-filled') {
        if (selfCross) this.close(order, 'cancelled', 'cancel');
        else side.add(order as RestingOrder);
      }
    }
    return { ok: true, order: snapshotOrder(order), fills };
  }

  // ---- auctions ----------------------------------------------------------------------------

  private openMarketOrderAuction(m: MarketState, order: Order): void {
    const { startPrice, endPrice } = auctionBounds(
      order.side,
      m.oracle.price,
      this.auctionConfig.startOffsetBps,
      this.auctionConfig.endOffsetBps,
      m.spec.tickSize,
      order.price,
    );
    const taker: TakerOrder = {
      uuid: order.orderId,
      source: 'auction',
      market: order.market,
      side: order.side,
      baseAmount: order.baseAmount,
      auction: {
        startPrice,
        endPrice,
        startSlot: this.slot,
        durationSlots: this.auctionConfig.durationSlots,
      },
      taker: `sub-account:${order.subAccount}`,
      receivedAt: this.now(),
    };
    const auction: Auction = {
      taker,
      endSlot: this.slot + taker.auction.durationSlots,
      remaining: order.baseAmount,
      order,
      bids: [],
      nextBid: 0,
    };
    this.matchAuctionWithBook(m, auction);
    this.startAuction(m, auction);
  }

  /**
   * Resting orders that cross a sub-account market order's auction price at this slot fill it at
   * their own price, as on chain: the program matches the book during the auction (the taker's
   * place-and-take, or any filler), not only after it.
   */
  private matchAuctionWithBook(m: MarketState, auction: Auction): void {
    const { order } = auction;
    if (!order || auction.remaining <= 0n || auction.endSlot <= this.slot) return;
    const price = auctionPriceAt({ side: order.side, ...auction.taker.auction }, this.slot, m.spec.tickSize);
    this.matchBook(m, order.side, price, order, auction, undefined);
  }

  private openStreamTaker(m: MarketState): void {
    this.openTakerAuction(
      m,
      this.takerFlow!.next(m.spec, m.oracle.price, this.slot, this.now(), this.auctionConfig),
    );
  }

  /** A signed taker order (stream or replayed) enters its auction; the history keeps its terms. */
  private openTakerAuction(m: MarketState, taker: TakerOrder): void {
    const { message: _m, signature: _s, receivedAt: _r, ...terms } = taker;
    this.record({ kind: 'taker-order', order: terms });
    this.startAuction(m, {
      taker,
      endSlot: taker.auction.startSlot + taker.auction.durationSlots,
      remaining: taker.baseAmount,
      bids: [],
      nextBid: 0,
    });
  }

  /** Recorded taker orders whose auctions start by now, as received (signed terms untouched). */
  private openReplayedTakers(): void {
    while (this.nextReplayTaker < this.replayTakers.length) {
      const recorded = this.replayTakers[this.nextReplayTaker]!;
      if (recorded.auction.startSlot > this.slot) return;
      this.nextReplayTaker++;
      const m = this.marketStates.get(recorded.market);
      if (!m) continue;
      this.openTakerAuction(m, { ...recorded, receivedAt: this.now() });
    }
  }

  private startAuction(m: MarketState, auction: Auction): void {
    if (this.competition) {
      const { taker } = auction;
      auction.bids = this.competition.bidsFor(
        { ...taker.auction, side: taker.side, baseAmount: taker.baseAmount },
        m.oracle.price,
        m.spec,
      );
    }
    m.auctions.set(auction.taker.uuid, auction);
    m.auctionQueue.push(auction);
    this.emit({ type: 'taker', order: auction.taker });
    if (auction.endSlot <= this.slot) this.settleEndedAuctions(m);
  }

  /** After its auction a taker's remainder meets the book up to its end price, then the backstop. */
  private settleEndedAuctions(m: MarketState): void {
    for (const [uuid, endSlot] of m.endedAuctions) {
      if (endSlot + ENDED_AUCTION_MEMORY_SLOTS > this.slot) break;
      m.endedAuctions.delete(uuid);
    }
    while (m.auctionQueue.length > 0 && m.auctionQueue[0]!.endSlot <= this.slot) {
      const auction = m.auctionQueue.shift()!;
      if (m.auctions.get(auction.taker.uuid) !== auction) continue; // cancelled
      m.auctions.delete(auction.taker.uuid);
      const { order } = auction;
      if (auction.remaining <= 0n) continue;
      m.endedAuctions.set(auction.taker.uuid, auction.endSlot);
      const limit = auction.taker.auction.endPrice;
      if (order) {
        this.matchBook(m, order.side, limit, order, undefined, undefined);
        if (remainingOf(order) > 0n && this.auctionConfig.backstop) this.backstopFill(m, order, limit);
        if (remainingOf(order) > 0n) this.close(order, 'expired', 'expire');
      } else {
        this.matchBook(m, auction.taker.side, limit, undefined, auction, undefined);
      }
    }
  }

  /**
   * A maker fills a live taker auction at `maker.price`, which must be at or better for the taker
   * than the auction's current price. The fill size is capped at what is left of the taker order.
   */
  fillTaker(taker: TakerOrder, maker: MakerFill): PlaceResult {
    const result = this.fillTakerInner(taker, maker);
    this.flush();
    return result;
  }

  private fillTakerInner(taker: TakerOrder, maker: MakerFill): PlaceResult {
    const makerSide: Side = taker.side === 'buy' ? 'sell' : 'buy';
    const request: OrderRequest = {
      market: taker.market,
      side: makerSide,
      type: 'limit',
      baseAmount: maker.baseAmount,
      price: maker.price,
    };
    const fail = (reason: RejectReason, message: string) =>
      this.reject(maker.subAccount, request, reason, message);
    // Refusals the Drift program makes are named by its error, and typed as the live venue types it.
    const refuse = (programError: string, detail: string) =>
      fail(rejectReasonFrom(programError), `${programError}: ${detail}`);
    if (this.haltReason !== undefined) return fail('halted', `venue halted: ${this.haltReason}`);
    const m = this.marketStates.get(taker.market);
    if (!m) return fail('unknown-market', `unknown market "${taker.market}"`);
    // A Swift order the program no longer holds is `SignedMsgOrderDoesNotExist`; an on-chain one, `OrderDoesNotExist`.
    const gone = taker.source === 'swift' ? 'SignedMsgOrderDoesNotExist' : 'OrderDoesNotExist';
    // An auction that ran out (or that the fill reaches too late) is `auction-ended` for either
    // source, as live: the venue reads the taker order at a slot and refuses one past its auction
    // before sending (drift-client's taker-fill), and `SignedMsgOrderDoesNotExist` is typed so.
    const over = (detail: string) => fail('auction-ended', `${gone}: ${detail}`);
    const auction = m.auctions.get(taker.uuid);
    if (!auction) {
      const endSlot = m.endedAuctions.get(taker.uuid);
      if (endSlot !== undefined) return over(`the auction of ${taker.uuid} ended at slot ${endSlot}`);
      return refuse(gone, `no live auction for taker order ${taker.uuid}`);
    }
    if (this.slot >= auction.endSlot) return over(`the auction of ${taker.uuid} is over`);
    const sizeProblem = checkSize(m.spec, maker.baseAmount);
    if (sizeProblem) return fail(...sizeProblem);
    const priceProblem = checkPrice(m.spec, maker.price);
    if (priceProblem) return fail(...priceProblem);
    const landing = this.competition?.landing(this.slot, maker.decisionUs) ?? {
      landMs: this.slot * this.slotMs,
      landSlot: this.slot,
    };
    // Rivals whose fills land before this one take their share first.
    this.landRivals(m, auction, landing.landMs);
    if (landing.landSlot >= auction.endSlot)
      return over(
        `the fill lands at slot ${landing.landSlot}, after the auction of ${taker.uuid} ended (slot ${auction.endSlot})`,
      );
    if (auction.remaining <= 0n)
      return refuse(gone, `taker order ${taker.uuid} was already filled${this.lastFillerOf(auction)}`);
    const auctionPrice = auctionPriceAt(
      { ...auction.taker.auction, side: auction.taker.side },
      landing.landSlot,
      m.spec.tickSize,
    );
    if (!makerPriceAcceptable(auction.taker.side, maker.price, auctionPrice))
      return refuse(
        'AuctionPriceDoesNotSatisfyMaker',
        `maker price ${maker.price} no longer crosses the auction's ${auctionPrice} at slot ${landing.landSlot}`,
      );
    if (auction.order?.subAccount === maker.subAccount)
      return fail('venue-error', 'a sub-account cannot fill its own taker order');
    let size = minBig(maker.baseAmount, auction.remaining);
    if (auction.order?.reduceOnly) size = minBig(size, this.reducible(auction.order));
    if (size <= 0n) return refuse(gone, `nothing left to fill on ${taker.uuid}`);
    if (!this.marginAllows(maker.subAccount, taker.market, makerSide, size))
      return refuse(
        'InsufficientCollateral',
        `not enough free collateral on sub-account ${maker.subAccount} at oracle ${m.oracle.price}`,
      );
    const ts = this.now();
    this.ledger.get(maker.subAccount);
    const makerOrder: Order = {
      orderId: String(++this.orderSeq),
      subAccount: maker.subAccount,
      market: taker.market,
      side: makerSide,
      type: 'limit',
      price: maker.price,
      baseAmount: size,
      filledBase: 0n,
      status: 'open',
      postOnly: false,
      reduceOnly: false,
      ioc: true,
      createdAt: ts,
      updatedAt: ts,
    };
    this.log.order(this.slot, makerOrder, undefined);
    this.trackExposure(makerOrder, size); // released by the fill below
    this.countOrder(makerOrder, 1);
    const { makerFill } = this.executeMatch(m, maker.price, size, makerOrder, auction.order, auction);
    return { ok: true, order: snapshotOrder(makerOrder), fills: [makerFill] };
  }

  /** Executes the auction's rival fills that land before `beforeMs` (venue ms since slot 0). */
  private landRivals(m: MarketState, auction: Auction, beforeMs: number): void {
    while (auction.nextBid < auction.bids.length && auction.bids[auction.nextBid]!.landMs < beforeMs) {
      const bid = auction.bids[auction.nextBid++]!;
      let size = minBig(bid.baseAmount, auction.remaining);
      if (auction.order) size = minBig(size, this.takerRemaining(auction.order));
      if (size <= 0n) continue;
      const counterparty = `rival:${bid.rival}`;
      if (auction.order) this.fillOrder(auction.order, bid.price, size, 'taker', counterparty);
      auction.remaining -= size;
      auction.lastFiller = counterparty;
      this.record({
        kind: 'rival-fill',
        market: m.spec.symbol,
        taker: auction.taker.uuid,
        rival: bid.rival,
        price: bid.price,
        baseAmount: size,
        landSlot: bid.landSlot,
      });
      this.addTrade(m, {
        market: m.spec.symbol,
        price: bid.price,
        baseAmount: size,
        side: auction.taker.side,
        ts: this.now(),
      });
    }
  }

  private lastFillerOf(auction: Auction): string {
    return auction.lastFiller ? ` (last by ${auction.lastFiller})` : '';
  }

  // ---- matching ----------------------------------------------------------------------------

  /**
   * An incoming limit order takes from the book up to its price; `fills` collects its own fills.
   * True when it stopped at its own sub-account's resting order: its remainder is then cancelled
   * rather than left crossing the book (self-trade prevention, "expire taker").
   */
  private matchIncoming(m: MarketState, order: RestingOrder, fills: Fill[]): boolean {
    return this.matchBook(m, order.side, order.price, order, undefined, fills);
  }

  /**
   * Matches a taker (a sub-account order or a stream auction) against resting orders at prices up
   * to `limit`, best price first, oldest first. Returns true when it stopped at a resting order of
   * the taker's own sub-account (a sub-account never trades with itself).
   */
  private matchBook(
    m: MarketState,
    side: Side,
    limit: bigint,
    takerOrder: Order | undefined,
    auction: Auction | undefined,
    takerFills: Fill[] | undefined,
  ): boolean {
    const opposite = m.book.opposite(side);
    for (;;) {
      const left = takerOrder ? this.takerRemaining(takerOrder) : auction!.remaining;
      if (left <= 0n) return false;
      const level = opposite.best();
      if (!level || !crosses(side, limit, level.price)) return false;
      const maker = level.orders[0]!;
      if (takerOrder && maker.subAccount === takerOrder.subAccount) return true;
      let size = minBig(left, remainingOf(maker));
      if (maker.reduceOnly) size = minBig(size, this.reducible(maker));
      if (size <= 0n) {
        level.orders.shift();
        opposite.dropBestIfEmpty();
        this.close(maker, 'cancelled', 'cancel');
        continue;
      }
      const { takerFill } = this.executeMatch(m, maker.price, size, maker, takerOrder, auction);
      if (takerFill) takerFills?.push(takerFill);
      if (remainingOf(maker) === 0n) {
        level.orders.shift();
        opposite.dropBestIfEmpty();
      }
    }
  }

  /** What a taker order may still trade (reduce-only takers are capped by the position). */
  private takerRemaining(order: Order): bigint {
    const left = remainingOf(order);
    return order.reduceOnly ? minBig(left, this.reducible(order)) : left;
  }

  /** How much of `order`'s side would shrink its sub-account's position. */
  private reducible(order: Order): bigint {
    const base = this.ledger.baseOf(order.subAccount, order.market);
    return order.side === 'sell' ? maxBig(base, 0n) : maxBig(-base, 0n);
  }

  /**
   * One match at `price` for `size`: the maker's order and account, then the taker's (a sub-account
   * order, or a stream taker that only has an auction), then the public trade.
   */
  private executeMatch(
    m: MarketState,
    price: bigint,
    size: bigint,
    maker: Order,
    takerOrder: Order | undefined,
    auction: Auction | undefined,
  ): { makerFill: Fill; takerFill: Fill | undefined } {
    const makerFill = this.fillOrder(
      maker,
      price,
      size,
      'maker',
      takerOrder?.subAccount ?? auction!.taker.taker,
    );
    const takerFill = takerOrder
      ? this.fillOrder(takerOrder, price, size, 'taker', maker.subAccount)
      : undefined;
    if (auction) {
      auction.remaining -= size;
      auction.lastFiller = `sub-account:${maker.subAccount}`;
    }
    const takerSide: Side = maker.side === 'buy' ? 'sell' : 'buy';
    this.addTrade(m, { market: m.spec.symbol, price, baseAmount: size, side: takerSide, ts: this.now() });
    return { makerFill, takerFill };
  }

  /** The venue's backstop (Drift's AMM) takes the other side of a market order's remainder. */
  private backstopFill(m: MarketState, order: Order, price: bigint): void {
    const size = this.takerRemaining(order);
    if (size <= 0n) return;
    if (!this.marginAllows(order.subAccount, order.market, order.side, 0n)) return;
    this.fillOrder(order, price, size, 'taker', 'backstop');
    this.addTrade(m, { market: m.spec.symbol, price, baseAmount: size, side: order.side, ts: this.now() });
  }

  private fillOrder(
    order: Order,
    price: bigint,
    size: bigint,
    liquidity: 'maker' | 'taker',
    counterparty: number | string,
  ): Fill {
    const quote = quoteValue(price, size);
    const volume = this.volume.get(order.subAccount) ?? 0n;
    // The program adds the fill to the 30-day volume before it picks the fee tier.
    const rates = ratesFor(volume + quote, this.feeTiers, this.baseFees);
    const fee = fillFee(quote, liquidity === 'maker' ? rates.maker : rates.taker);
    if (this.feeTiers.length > 0) this.volume.set(order.subAccount, volume + quote);
    const ts = this.now();
    const fill: Fill = {
      fillId: String(++this.fillSeq),
      orderId: order.orderId,
      subAccount: order.subAccount,
      market: order.market,
      side: order.side,
      price,
      baseAmount: size,
      quoteAmount: quote,
      fee,
      liquidity,
      ts,
    };
    if (order.clientOrderId !== undefined) fill.clientOrderId = order.clientOrderId;
    const change = this.ledger.applyFill(order.subAccount, order.market, order.side, price, size, fee);
    order.filledBase += size;
    order.updatedAt = ts;
    this.trackExposure(order, -size);
    const fills = this.fillsBySub.get(order.subAccount);
    if (fills) fills.push(fill);
    else this.fillsBySub.set(order.subAccount, [fill]);
    this.log.fill(this.slot, fill, counterparty);
    this.emit({ type: 'fill', fill });
    this.log.position(this.slot, order.subAccount, order.market, change);
    if (order.filledBase >= order.baseAmount) {
      this.close(order, 'filled', 'fill');
    } else {
      order.status = 'partially-filled';
      this.recordOrderUpdate(order, 'fill');
    }
    return fill;
  }

  /** Ends an order's life (filled, cancelled or expired): off the open list, exposure released. */
  private close(
    order: Order,
    status: 'filled' | 'cancelled' | 'expired',
    cause: 'fill' | 'cancel' | 'expire',
  ): void {
    if (status !== 'filled') this.trackExposure(order, -remainingOf(order));
    this.countOrder(order, -1);
    order.status = status;
    order.updatedAt = this.now();
    this.openOrders.delete(order.orderId);
    this.expiring.delete(order.orderId);
    if (order.clientOrderId !== undefined)
      this.openClientIds.delete(clientKey(order.subAccount, order.clientOrderId));
    this.recordOrderUpdate(order, cause);
  }

  private recordOrderUpdate(order: Order, cause: 'fill' | 'cancel' | 'expire' | 'modify'): void {
    this.log.order(this.slot, order, cause);
    if (this.listeners.size > 0) this.emit({ type: 'order', order: snapshotOrder(order) });
  }

  private addTrade(m: MarketState, trade: Trade): void {
    m.trades.push(trade);
    if (m.trades.length > 2 * this.tradesKept) m.trades.splice(0, m.trades.length - this.tradesKept);
    this.emit({ type: 'trade', trade });
  }

  // ---- margin ------------------------------------------------------------------------------

  private trackExposure(order: Order, delta: bigint): void {
    if (order.reduceOnly || order.subAccount < 0 || delta === 0n) return;
    const e = this.exposureOf(order);
    if (order.side === 'buy') e.bids += delta;
    else e.asks += delta;
  }

  private countOrder(order: Order, delta: 1 | -1): void {
    if (order.subAccount < 0) return;
    this.exposureOf(order).orders += delta;
  }

  private exposureOf(order: Order): Exposure {
    let byMarket = this.exposure.get(order.subAccount);
    if (!byMarket) {
      byMarket = new Map();
      this.exposure.set(order.subAccount, byMarket);
    }
    let e = byMarket.get(order.market);
    if (!e) {
      e = { bids: 0n, asks: 0n, orders: 0 };
      byMarket.set(order.market, e);
    }
    return e;
  }

  /**
   * The program's margin of a sub-account (margin.ts), optionally with a new order of `extra` base
   * on `side` of `market` (`newOrders` 1 when it would rest as an open order).
   */
  private margin(
    subAccount: number,
    pending?: { market: string; side: Side; extra: bigint; newOrders: number },
  ): MarginState {
    const account = this.ledger.peek(subAccount);
    const byMarket = this.exposure.get(subAccount);
    const markets: MarketMargin[] = [];
    for (const [symbol, m] of this.marketStates) {
      const position = account.positions.get(symbol);
      const e = byMarket?.get(symbol);
      if (!position && !e && symbol !== pending?.market) continue;
      let bids = e?.bids ?? 0n;
      let asks = e?.asks ?? 0n;
      let orders = e?.orders ?? 0;
      if (symbol === pending?.market) {
        if (pending.side === 'buy') bids += pending.extra;
        else asks += pending.extra;
        orders += pending.newOrders;
      }
      markets.push({
        spec: m.spec,
        oracle: m.oracle.price,
        base: position?.base ?? 0n,
        bids,
        asks,
        openOrders: orders,
        unrealizedPnl: position ? unrealizedPnl(position, m.oracle.price) : 0n,
        realizedPnl: position?.realizedPnl ?? 0n,
      });
    }
    return marginState(account.collateral, markets);
  }

  /**
   * The program's initial margin check: the requirement of the worst case (every open order
   * filled, plus the new size, plus each open order's charge) must fit in the initial collateral.
   */
  private marginAllows(
    subAccount: number,
    market: string,
    side: Side,
    extra: bigint,
    newOrders = 0,
  ): boolean {
    const state = this.margin(subAccount, { market, side, extra, newOrders });
    return state.initialMarginRequirement <= state.initialCollateral;
  }

  /** The program's free collateral: initial collateral less the initial margin requirement, floored at 0. */
  freeCollateral(subAccount: number): bigint {
    const state = this.margin(subAccount);
    return maxBig(state.initialCollateral - state.initialMarginRequirement, 0n);
  }

  // ---- funding -----------------------------------------------------------------------------

  private sampleFunding(m: MarketState): void {
    const bid = m.book.bids.bestPrice();
    const ask = m.book.asks.bestPrice();
    const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2n : m.oracle.price;
    m.midSum += mid;
    m.oracleSum += m.oracle.price;
    m.samples++;
  }

  /** Pays the interval's funding to every open position of `m` (see funding.ts). */
  private payFunding(m: MarketState): void {
    const rate =
      this.fundingConfig.mode === 'fixed'
        ? this.fundingConfig.fixedRatePpb
        : premiumRatePpb(m, this.fundingConfig.capPpb);
    m.midSum = 0n;
    m.oracleSum = 0n;
    m.samples = 0n;
    if (rate === 0n) return;
    for (const [subAccount, position] of this.ledger.openPositions(m.spec.symbol)) {
      const amount = fundingCredit(position.base, m.oracle.price, rate);
      this.ledger.applyFunding(subAccount, m.spec.symbol, amount);
      this.record({ kind: 'funding', subAccount, market: m.spec.symbol, ratePpb: rate, amount });
    }
  }

  // ---- accounts ----------------------------------------------------------------------------

  openOrdersList(scope: EngineScope = {}): Order[] {
    const out: Order[] = [];
    for (const order of this.openOrders.values()) if (inScope(order, scope)) out.push(snapshotOrder(order));
    return out;
  }

  fills(scope: EngineScope & { sinceTs?: number } = {}): Fill[] {
    const subs = scope.subAccount !== undefined ? [scope.subAccount] : this.ledger.ids();
    const out: Fill[] = [];
    for (const sub of subs) {
      for (const fill of this.fillsBySub.get(sub) ?? []) {
        if (scope.market !== undefined && fill.market !== scope.market) continue;
        if (scope.sinceTs !== undefined && fill.ts < scope.sinceTs) continue;
        out.push(fill);
      }
    }
    return subs.length > 1 ? out.sort((a, b) => Number(a.fillId) - Number(b.fillId)) : out;
  }

  /** Positions in every market the sub-account has traded (flat ones keep their realized PnL). */
  positions(scope: EngineScope = {}): Position[] {
    const subs = scope.subAccount !== undefined ? [scope.subAccount] : this.ledger.ids();
    const out: Position[] = [];
    for (const sub of subs) {
      if (!this.ledger.has(sub)) continue;
      for (const position of this.ledger.get(sub).positions.values()) {
        if (scope.market !== undefined && position.market !== scope.market) continue;
        out.push(toPosition(sub, position, this.market(position.market).oracle.price));
      }
    }
    return out;
  }

  account(subAccount: number): AccountState {
    const positions = this.positions({ subAccount });
    const state = this.margin(subAccount);
    let gross = 0n;
    for (const position of positions) {
      gross += quoteValue(this.market(position.market).oracle.price, absBig(position.baseAmount));
    }
    return {
      subAccount,
      collateral: state.collateral,
      unrealizedPnl: state.unrealizedPnl,
      equity: state.equity,
      grossNotional: gross,
      initialMarginRequirement: state.initialMarginRequirement,
      maintenanceMarginRequirement: state.maintenanceMarginRequirement,
      freeMargin: maxBig(state.equity - state.initialMarginRequirement, 0n),
      leverageBps: leverageBps(gross, state.equity),
      positions,
    };
  }

  subAccounts(): number[] {
    return this.ledger.ids();
  }

  /** Adds (or with a negative amount, withdraws) collateral. */
  deposit(subAccount: number, amount: bigint): void {
    this.ledger.get(subAccount).collateral += amount;
  }

  // ---- halts, events, history --------------------------------------------------------------

  /** Stops accepting orders (cancels still work) until `resume()`. */
  halt(reason: string): void {
    this.haltReason = reason;
    this.logger.warn({ reason }, 'venue halted');
    this.record({ kind: 'halt', reason });
    this.emit({ type: 'halt', reason });
    this.flush();
  }

  resume(): void {
    this.haltReason = undefined;
    this.record({ kind: 'resume' });
    this.emit({ type: 'resume' });
    this.flush();
  }

  halted(): string | undefined {
    return this.haltReason;
  }

  /**
   * Stalls the oracle feed of `markets` (default: all) until `resumeOracles`: no update, no event,
   * the last reading keeps its price, slot and ts while the clock runs on — a silent feed, as a
   * stuck oracle or a stalled websocket looks to a bot.
   */
  stallOracles(markets: readonly string[] = this.specs.map((s) => s.symbol)): void {
    for (const market of markets) this.stalledOracles.add(this.market(market).spec.symbol);
    this.logger.warn({ markets: [...this.stalledOracles], slot: this.slot }, 'oracle feed stalled');
  }

  /** Ends a stall: the next oracle step publishes a fresh reading. */
  resumeOracles(markets: readonly string[] = [...this.stalledOracles]): void {
    for (const market of markets) this.stalledOracles.delete(market);
    this.logger.warn({ stalled: [...this.stalledOracles], slot: this.slot }, 'oracle feed resumed');
  }

  stalledOracleMarkets(): string[] {
    return [...this.stalledOracles];
  }

  subscribe(listener: SimListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every entry since `afterSeq` (exclusive), oldest first. */
  history(afterSeq = 0): readonly HistoryEntry[] {
    return this.log.entries(afterSeq);
  }

  private record(entry: UnstampedEntry): void {
    this.log.other(this.slot, entry);
  }

  private emit(event: SimEvent): void {
    if (this.listeners.size > 0) this.pending.push(event);
  }

  /** Delivers queued events once the operation that produced them is complete. */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const event = this.pending[i]!;
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            this.logger.error({ err, event: event.type }, 'sim event listener threw');
          }
        }
      }
      this.pending.length = 0;
    } finally {
      this.flushing = false;
    }
  }
}

function clientKey(subAccount: number, clientOrderId: string): string {
  return `${subAccount}:${clientOrderId}`;
}

function inScope(order: Order, scope: EngineScope): boolean {
  return (
    (scope.subAccount === undefined || order.subAccount === scope.subAccount) &&
    (scope.market === undefined || order.market === scope.market)
  );
}
