/**
 * One bot's orders on one venue sub-account: every order passes the trading state, the pre-trade
 * checks and the rate limit, is journaled as an intent, sent, and then followed through its
 * states by the place result and the venue's events. See README.md for the guarantees.
 */
import { ORDER_EXPIRY_MS } from '@drift/config';
import {
  type Fill,
  formatBase,
  formatPrice,
  formatQuote,
  maxBig,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type PlaceResult,
  reducesExposure,
  type TakerOrder,
  type TradingStateName,
  type Unsubscribe,
  type Venue,
  type VenueEvent,
} from '@drift/domain';
import { isConnectionError } from '@drift/runtime';
import {
  ClientOrderIdGenerator,
  USER_ORDER_ID_MAX,
  USER_ORDER_ID_MIN,
  UserOrderIdPool,
  type UserOrderIdRange,
} from './client-ids.js';
import { Journal, type JournalSync } from './journal.js';
import type { OrderLogger } from './logger.js';
import type { ManagedOrder, ManagerRejectReason } from './managed-order.js';
import { ExpiryKeeper, restsOnBook, validExpiryMs } from './order-expiry.js';
import { canTransition, isTerminal, liveStatusFor } from './order-states.js';
import type { PreTradeCheck, PreTradeVerdict } from './pre-trade.js';
import { type RateLimitOptions, TokenBucket } from './rate-limit.js';
import { type OrderResolution, planReconciliation } from './reconcile.js';

export interface OrderManagerOptions {
  /** The bot's name: prefix of its client order ids, and its rows in the journal. */
  bot: string;
  venue: Venue;
  /** An open journal, or the path of its SQLite file (created if missing). */
  journal: Journal | string;
  /** `full` (default) or `normal`; only used when `journal` is a path. See journal.ts. */
  journalSync?: JournalSync;
  logger: OrderLogger;
  /** Defaults to the venue's sub-account. */
  subAccount?: number;
  /**
   * The bot's share of Drift's 1..255 user order ids on its sub-account (default: all of them).
   * Bots sharing a sub-account must use disjoint ranges.
   */
  userOrderIds?: UserOrderIdRange;
  /** Order-rate limit; `false` turns it off. Default: burst 20, 10 per second. */
  rateLimit?: RateLimitOptions | false;
  /** How long a placement may stay unconfirmed before it is reconciled (default 10 s). */
  placeTimeoutMs?: number;
  /** Cancel every open order when the trading state becomes `halted` (default true). */
  cancelOnHalt?: boolean;
  /** Signed position of the sub-account in `market` (BASE_PRECISION), for the `reducing` state. */
  positionOf?: (market: string) => Promise<bigint>;
  /**
   * Expiry of every order `place()` sends, ms ahead of venue time (Drift's `maxTs`); resting
   * orders have it refreshed while the manager runs (see order-expiry.ts). Default 60 s.
   */
  orderExpiryMs?: number;
  /** Local clock (ms) for the rate limit and the expiry checks. */
  now?: () => number;
}

export type ManagedPlaceResult =
  | { ok: true; order: ManagedOrder; fills: Fill[] }
  | { ok: false; reason: ManagerRejectReason; message: string; order?: ManagedOrder };

export type OrderManagerEvent =
  /** An order changed status. */
  | { type: 'state'; order: ManagedOrder; from: OrderStatus; to: OrderStatus; reason?: string }
  /** A fill of one of the bot's orders (first time seen). */
  | { type: 'fill'; order: ManagedOrder; fill: Fill }
  /** An order refused before it reached the venue (no journal row). */
  | { type: 'refused'; clientOrderId: string; market: string; reason: ManagerRejectReason; message: string };

export interface OrderCounters {
  /** Orders journaled and sent to the venue. */
  placed: number;
  filled: number;
  cancelled: number;
  expired: number;
  /** Refusals and venue rejections, by reason. */
  rejected: Partial<Record<ManagerRejectReason, number>>;
  fills: number;
  illegalTransitions: number;
  /** Unknown venue orders cancelled by reconciliation. */
  unknownCancelled: number;
}

export interface ReconcileSummary {
  checked: number;
  /** Final status of each checked order, by client id. */
  resolved: Record<string, OrderStatus>;
  unknownCancelled: string[];
}

const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 20, perSecond: 10 };
const DEFAULT_PLACE_TIMEOUT_MS = 10_000;
/** Venue timestamps of fills can trail the events we saw (block time granularity). */
const FILL_REPLAY_SLACK_MS = 1_000;
const MAX_ORPHAN_FILLS = 1_000;

class RefusedError {
  constructor(
    readonly reason: ManagerRejectReason,
    readonly message: string,
  ) {}
}

export class OrderManager {
  readonly bot: string;
  readonly subAccount: number;
  readonly journal: Journal;
  private readonly venue: Venue;
  private readonly log: OrderLogger;
  private readonly ids: ClientOrderIdGenerator;
  private readonly pool: UserOrderIdPool;
  private readonly bucket: TokenBucket | undefined;
  private readonly placeTimeoutMs: number;
  private readonly cancelOnHalt: boolean;
  private readonly positionOf: (market: string) => Promise<bigint>;
  private readonly ownsJournal: boolean;
  private readonly expiry: ExpiryKeeper;
  /** Venue ids an order had before a refresh re-placed it (Drift's modify): their events are history. */
  private readonly replacedOrderIds = new Set<string>();

  private readonly live = new Map<string, ManagedOrder>();
  private readonly byOrderId = new Map<string, string>();
  /** Sends not yet answered, by client id: never reconciled as "unknown to the venue". */
  private readonly sending = new Map<string, Promise<unknown>>();
  /** Orders whose transaction's outcome the venue could not read: reconciled until it shows them. */
  private readonly outcomeUnknown = new Set<string>();
  private unknownTimer: NodeJS.Timeout | undefined;
  /** Fills that arrived before their order's acknowledgement, by venue order id. */
  private readonly orphanFills = new Map<string, Fill[]>();
  private readonly checks: PreTradeCheck[] = [];
  /** Local send times of the last minute's orders, oldest first. */
  private readonly sentTimes: number[] = [];
  private readonly now: () => number;
  private readonly listeners = new Set<(event: OrderManagerEvent) => void>();
  private readonly counts: OrderCounters = {
    placed: 0,
    filled: 0,
    cancelled: 0,
    expired: 0,
    rejected: {},
    fills: 0,
    illegalTransitions: 0,
    unknownCancelled: 0,
  };
  /** Fees on this bot's fills since start: paid (> 0 fees) and received (rebates), QUOTE_PRECISION. */
  private feesPaid = 0n;
  private feesReceived = 0n;
  private state: TradingStateName = 'active';
  private venueTsSeen = 0;
  private started = false;
  private stopping = false;
  private disconnected = false;
  private unsubscribeVenue: Unsubscribe | undefined;

  constructor(options: OrderManagerOptions) {
    if (!/^[A-Za-z0-9_.-]+$/.test(options.bot)) {
      throw new RangeError(`bot: "${options.bot}" is not a name of letters, digits, '.', '_' or '-'`);
    }
    this.bot = options.bot;
    this.venue = options.venue;
    this.subAccount = options.subAccount ?? options.venue.subAccount;
    this.log = options.logger.child({ component: 'order-management', bot: options.bot });
    this.pool = new UserOrderIdPool(
      options.userOrderIds ?? { min: USER_ORDER_ID_MIN, max: USER_ORDER_ID_MAX },
    );
    this.ids = new ClientOrderIdGenerator(options.bot);
    const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.now = options.now ?? Date.now;
    this.bucket = rate === false ? undefined : new TokenBucket(rate, this.now);
    this.placeTimeoutMs = options.placeTimeoutMs ?? DEFAULT_PLACE_TIMEOUT_MS;
    if (!Number.isFinite(this.placeTimeoutMs) || this.placeTimeoutMs <= 0) {
      throw new RangeError(`placeTimeoutMs: ${String(options.placeTimeoutMs)} is not a positive number`);
    }
    this.cancelOnHalt = options.cancelOnHalt ?? true;
    this.expiry = new ExpiryKeeper({
      venue: this.venue,
      subAccount: this.subAccount,
      expiryMs: validExpiryMs(options.orderExpiryMs ?? ORDER_EXPIRY_MS.default),
      log: this.log,
      now: this.now,
      // Halted: nothing is extended either; what rests lapses if the cancel-all did not reach it.
      resting: () =>
        this.state === 'halted'
          ? []
          : [...this.live.values()].filter((o) => o.orderId !== undefined && restsOnBook(o)),
      onRefreshed: (order, venueOrder) => this.onExpiryRefreshed(order, venueOrder),
      onGone: (order, detail) => {
        this.log.info({ ...this.fieldsOf(order), detail }, 'order gone before its expiry was refreshed');
        this.reconcile({ only: [order.clientOrderId] }).catch((err: unknown) =>
          this.log.error({ ...this.fieldsOf(order), err }, 'reconciling an order gone at refresh failed'),
        );
      },
    });
    this.positionOf = options.positionOf ?? ((market) => this.venuePosition(market));
    this.ownsJournal = typeof options.journal === 'string';
    this.journal =
      typeof options.journal === 'string'
        ? new Journal(options.journal, options.journalSync === undefined ? {} : { sync: options.journalSync })
        : options.journal;
  }

  /**
   * Subscribes to the venue, loads the journal's live orders and reconciles them against the
   * venue (after a crash: what happened while we were down). Call once before placing.
   */
  async start(): Promise<ReconcileSummary> {
    if (this.started) throw new Error('OrderManager.start() was already called');
    // Live orders first, then events: anything the venue did in between is caught by reconcile().
    for (const order of this.journal.liveOrders(this.bot)) {
      if (order.subAccount !== this.subAccount) continue;
      this.track(order);
    }
    this.unsubscribeVenue = this.venue.subscribe((event) => this.onVenueEvent(event));
    this.venueTsSeen = (await this.venue.clock()).ts;
    this.started = true;
    const summary = await this.reconcile();
    this.expiry.start();
    this.log.info(
      { live: this.live.size, checked: summary.checked, unknownCancelled: summary.unknownCancelled.length },
      'order manager started',
    );
    return summary;
  }

  /** Runs `check` on every order before it is sent; returns a function that removes it. */
  addPreTradeCheck(check: PreTradeCheck): () => void {
    this.checks.push(check);
    return () => {
      const at = this.checks.indexOf(check);
      if (at >= 0) this.checks.splice(at, 1);
    };
  }

  get tradingState(): TradingStateName {
    return this.state;
  }

  /** `halted` refuses every new order (and cancels open ones by default); `reducing` lets only reducing ones pass. */
  setTradingState(state: TradingStateName, reason: string): void {
    if (state === this.state) return;
    const from = this.state;
    this.state = state;
    this.log.warn({ from, to: state, reason }, 'trading state changed');
    if (state === 'halted' && this.cancelOnHalt) {
      this.cancelAll().catch((err: unknown) => this.log.error({ err }, 'cancel-all on halt failed'));
    }
  }

  /** Follows a trading-state source such as core's `AppLifecycle`; returns the unsubscribe. */
  followTradingState(source: {
    readonly tradingState: TradingStateName;
    onTradingState(fn: (state: TradingStateName, reason: string) => void): () => void;
  }): () => void {
    this.setTradingState(source.tradingState, 'initial state');
    return source.onTradingState((state, reason) => this.setTradingState(state, reason));
  }

  subscribe(listener: (event: OrderManagerEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The order with this client id (live or from the journal). */
  get(clientOrderId: string): ManagedOrder | undefined {
    const order = this.live.get(clientOrderId) ?? this.journal.get(clientOrderId);
    return order && { ...order };
  }

  liveOrders(): ManagedOrder[] {
    return [...this.live.values()].map((o) => ({ ...o }));
  }

  counters(): OrderCounters {
    return { ...this.counts, rejected: { ...this.counts.rejected } };
  }

  /** What a bot reports with its heartbeat (core's `AppStatus` fields). */
  status(): {
    openOrders: number;
    fills: number;
    ordersPlaced: number;
    feesPaidQuote: string;
    feesReceivedQuote: string;
    counters: Record<string, number>;
  } {
    const c = this.counts;
    const counters: Record<string, number> = {
      // Orders the venue or the checks refused: attempts lost, by reason in `rejected.<reason>`.
      ordersLost: Object.values(c.rejected).reduce((sum, n) => sum + (n ?? 0), 0),
      ordersFilled: c.filled,
      ordersCancelled: c.cancelled,
      ordersExpired: c.expired,
      illegalTransitions: c.illegalTransitions,
      unknownOrdersCancelled: c.unknownCancelled,
    };
    for (const [reason, n] of Object.entries(c.rejected)) counters[`rejected.${reason}`] = n ?? 0;
    return {
      openOrders: this.live.size,
      fills: c.fills,
      ordersPlaced: c.placed,
      feesPaidQuote: formatQuote(this.feesPaid),
      feesReceivedQuote: formatQuote(this.feesReceived),
      counters,
    };
  }

  /**
   * Places an order. `request.clientOrderId` is optional: pass a stable one to make the call
   * idempotent across restarts (a client id the journal already has is refused, never re-sent).
   */
  async place(request: OrderRequest): Promise<ManagedPlaceResult> {
    return this.submit(request, (outgoing) => this.venue.placeOrder(outgoing), { expires: true });
  }

  /**
   * Fills a taker order inside its auction as maker (JIT), through the same trading state, checks,
   * rate limit and journal as `place()`. The client id defaults to `<bot>-taker-<uuid>`, so one
   * taker order is filled at most once by this bot, even across restarts.
   */
  async fillTaker(
    taker: TakerOrder,
    maker: { price: bigint; baseAmount: bigint; clientOrderId?: string; decisionUs?: number },
  ): Promise<ManagedPlaceResult> {
    const request: OrderRequest = {
      market: taker.market,
      side: taker.side === 'buy' ? 'sell' : 'buy',
      type: 'limit',
      price: maker.price,
      baseAmount: maker.baseAmount,
      ioc: true,
      clientOrderId: maker.clientOrderId ?? `${this.bot}-taker-${taker.uuid}`,
    };
    return this.submit(request, (outgoing) =>
      this.venue.fillTakerOrder(taker, {
        price: maker.price,
        baseAmount: outgoing.baseAmount,
        subAccount: this.subAccount,
        ...(outgoing.userOrderId !== undefined && { userOrderId: outgoing.userOrderId }),
        clientOrderId: outgoing.clientOrderId,
        ...(maker.decisionUs !== undefined && { decisionUs: maker.decisionUs }),
      }),
    );
  }

  private async submit(
    request: OrderRequest,
    sender: (outgoing: OrderRequest) => Promise<PlaceResult>,
    opts: { expires?: boolean } = {},
  ): Promise<ManagedPlaceResult> {
    if (!this.started) throw new Error('OrderManager.start() must complete before placing');
    const clientOrderId = request.clientOrderId ?? this.ids.next();
    const fields = { clientOrderId, market: request.market };
    try {
      const outgoing = await this.admit({ ...request, clientOrderId });
      if (opts.expires) outgoing.maxTs = await this.maxTsFor(outgoing.maxTs);
      const order = this.journalIntent(outgoing);
      outgoing.userOrderId = order.userOrderId;
      let attempt: Promise<PlaceResult>;
      try {
        attempt = sender(outgoing);
      } catch (err) {
        attempt = Promise.reject(err);
      }
      const sent = this.send(order, attempt);
      this.sending.set(clientOrderId, sent);
      try {
        return await sent;
      } finally {
        this.sending.delete(clientOrderId);
      }
    } catch (err) {
      if (!(err instanceof RefusedError)) throw err;
      this.countRejected(err.reason);
      this.log.warn({ ...fields, reason: err.reason, detail: err.message }, 'order refused');
      this.emit({ type: 'refused', ...fields, reason: err.reason, message: err.message });
      return { ok: false, reason: err.reason, message: err.message };
    }
  }

  /** Cancels one order; false when it is not live or the venue no longer has it open. */
  async cancel(clientOrderId: string): Promise<boolean> {
    await this.sending.get(clientOrderId);
    const order = this.live.get(clientOrderId);
    if (!order?.orderId) {
      this.log.warn(
        { clientOrderId, status: order?.status ?? 'unknown' },
        'cancel refused: order is not live',
      );
      return false;
    }
    const ok = await this.venue.cancelOrder(order.orderId, { subAccount: this.subAccount });
    const current = this.live.get(clientOrderId);
    if (ok && current) this.transition(current, 'cancelled', 'cancel', { reason: 'cancel requested' });
    if (!ok) await this.reconcile({ only: [clientOrderId] });
    return ok;
  }

  /**
   * Cancels every live order of this bot (one venue call when the bot owns the whole sub-account),
   * then reconciles so each ends in its true final status. Returns how many the venue cancelled.
   */
  async cancelAll(): Promise<number> {
    await Promise.allSettled(this.sending.values());
    let cancelled = 0;
    if (this.pool.size === USER_ORDER_ID_MAX - USER_ORDER_ID_MIN + 1) {
      cancelled = await this.venue.cancelAllOrders({ subAccount: this.subAccount });
    } else {
      for (const order of [...this.live.values()]) {
        if (order.orderId && (await this.venue.cancelOrder(order.orderId, { subAccount: this.subAccount }))) {
          cancelled += 1;
        }
      }
    }
    await this.reconcile();
    this.log.info({ cancelled, live: this.live.size }, 'cancel-all done');
    return cancelled;
  }

  /** Refuses new orders, cancels open ones (unless `cancel: false`), unsubscribes, closes the journal. */
  async stop(options: { cancel?: boolean } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.expiry.stop();
    try {
      if (options.cancel ?? true) await this.cancelAll();
      else await Promise.allSettled(this.sending.values());
    } finally {
      clearTimeout(this.unknownTimer);
      this.unsubscribeVenue?.();
      if (this.ownsJournal) this.journal.close();
      this.log.info({ live: this.live.size }, 'order manager stopped');
    }
  }

  /**
   * Compares the journal's live orders with the venue's open orders and fills and settles every
   * difference (see reconcile.ts for the decisions). Orders being sent are left alone.
   */
  async reconcile(options: { only?: string[]; cancelUnknown?: boolean } = {}): Promise<ReconcileSummary> {
    const only = options.only && new Set(options.only);
    const live = [...this.live.values()].filter(
      (o) => (!only || only.has(o.clientOrderId)) && (only || !this.sending.has(o.clientOrderId)),
    );
    const openOrders = await this.venue.getOpenOrders({ subAccount: this.subAccount });
    const sinceTs = Math.min(...live.map((o) => o.sinceVenueTs));
    const fills = live.length > 0 ? await this.venue.getFills({ subAccount: this.subAccount, sinceTs }) : [];
    const plan = planReconciliation({
      live: live.map((o) => ({ ...o })),
      openOrders,
      fills,
      subAccount: this.subAccount,
      ownsUserOrderId: (id) => this.pool.contains(id),
      outcomeUnknown: (id) => this.outcomeUnknown.has(id),
    });
    const summary: ReconcileSummary = { checked: live.length, resolved: {}, unknownCancelled: [] };
    for (const resolution of plan.resolutions) {
      summary.resolved[resolution.clientOrderId] = this.applyResolution(resolution);
    }
    if (options.cancelUnknown ?? !only) {
      for (const venueOrder of plan.unknown) {
        if (this.isBeingSent(venueOrder)) continue;
        if (await this.cancelUnknown(venueOrder)) summary.unknownCancelled.push(venueOrder.orderId);
      }
    }
    if (live.length > 0 || summary.unknownCancelled.length > 0) {
      this.log.info(
        { checked: summary.checked, resolved: summary.resolved, unknownCancelled: summary.unknownCancelled },
        'reconciled with venue',
      );
    }
    return summary;
  }

  // --- placing ---

  /** Trading state, pre-trade checks, rate limit: returns the request to send or throws RefusedError. */
  private async admit(
    request: OrderRequest & { clientOrderId: string },
  ): Promise<OrderRequest & { clientOrderId: string }> {
    if (request.subAccount !== undefined && request.subAccount !== this.subAccount) {
      throw new RefusedError(
        'invalid-request',
        `subAccount: ${request.subAccount} is not this manager's sub-account ${this.subAccount}`,
      );
    }
    if (typeof request.baseAmount !== 'bigint' || request.baseAmount <= 0n) {
      throw new RefusedError(
        'invalid-size',
        `baseAmount: ${String(request.baseAmount)} is not a positive bigint`,
      );
    }
    const outgoing = { ...request, subAccount: this.subAccount };
    this.refuseIfUnavailable(outgoing.clientOrderId);
    if (this.state === 'reducing') {
      let position: bigint;
      try {
        position = await this.positionOf(outgoing.market);
      } catch (err) {
        throw new RefusedError(
          'risk-limit',
          `trading state is reducing and the position is unknown: ${(err as Error).message}`,
        );
      }
      if (!reducesExposure(position, outgoing)) {
        throw new RefusedError(
          'risk-limit',
          `trading state is reducing: ${outgoing.side} ${outgoing.baseAmount} does not reduce position ${position}`,
        );
      }
      outgoing.reduceOnly = true;
    }
    const context = {
      bot: this.bot,
      subAccount: this.subAccount,
      request: outgoing,
      tradingState: this.state,
      liveOrders: this.liveOrders(),
      ordersLastMinute: this.ordersLastMinute(),
    };
    for (const check of this.checks) {
      let verdict: PreTradeVerdict;
      try {
        verdict = await check(context);
      } catch (err) {
        throw new RefusedError('risk-limit', `pre-trade check failed (refusing): ${(err as Error).message}`);
      }
      if (!verdict.ok) throw new RefusedError(verdict.reason ?? 'risk-limit', verdict.message);
    }
    // The checks awaited: the state may have changed meanwhile.
    this.refuseIfUnavailable(outgoing.clientOrderId);
    if (this.bucket && !this.bucket.tryTake()) {
      throw new RefusedError(
        'rate-limited',
        `order rate limit reached; next order allowed in ${this.bucket.waitMs()} ms`,
      );
    }
    return outgoing;
  }

  /** The fleet's bound, or the caller's earlier expiry; an unreadable venue clock sends nothing. */
  private async maxTsFor(requested: number | undefined): Promise<number> {
    let bound: number;
    try {
      bound = await this.expiry.maxTsForNewOrder();
    } catch (err) {
      throw new RefusedError(
        'venue-error',
        `venue clock unreadable, order not sent: ${(err as Error).message}`,
      );
    }
    return requested === undefined ? bound : Math.min(requested, bound);
  }

  private refuseIfUnavailable(clientOrderId: string): void {
    if (this.stopping) throw new RefusedError('halted', 'order manager is stopping');
    if (this.state === 'halted') throw new RefusedError('halted', 'trading is halted');
    if (this.live.has(clientOrderId) || this.journal.get(clientOrderId)) {
      throw new RefusedError(
        'duplicate-client-id',
        `clientOrderId: ${clientOrderId} is already in the journal; an intent is never sent twice`,
      );
    }
  }

  /** Takes a user order id and writes the intent: from here a crash leaves a trace. */
  private journalIntent(request: OrderRequest & { clientOrderId: string }): ManagedOrder {
    const userOrderId = this.pool.acquire();
    if (userOrderId === undefined) {
      const { min, max } = this.pool.range;
      throw new RefusedError(
        'user-order-ids-exhausted',
        `all ${this.pool.size} user order ids (${min}..${max}) are held by live orders; wait for one to end`,
      );
    }
    const now = Date.now();
    const order: ManagedOrder = {
      clientOrderId: request.clientOrderId,
      userOrderId,
      bot: this.bot,
      subAccount: this.subAccount,
      market: request.market,
      side: request.side,
      type: request.type,
      baseAmount: request.baseAmount,
      ...(request.price === undefined ? {} : { price: request.price }),
      postOnly: request.postOnly ?? false,
      reduceOnly: request.reduceOnly ?? false,
      ioc: request.ioc ?? false,
      status: 'new',
      filledBase: 0n,
      sinceVenueTs: this.venueTsSeen - FILL_REPLAY_SLACK_MS,
      createdAt: now,
      updatedAt: now,
    };
    try {
      this.journal.recordIntent(order);
    } catch (err) {
      this.pool.release(userOrderId);
      throw new RefusedError(
        'journal-error',
        `journal write failed, order not sent: ${(err as Error).message}`,
      );
    }
    this.track(order);
    this.counts.placed += 1;
    this.sentTimes.push(this.now());
    this.log.info(this.fieldsOf(order), 'order intent journaled, sending');
    return order;
  }

  private async send(order: ManagedOrder, attempt: Promise<PlaceResult>): Promise<ManagedPlaceResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.placeTimeoutMs);
    });
    let outcome: Awaited<typeof attempt> | 'timeout' | { thrown: unknown };
    try {
      outcome = await Promise.race([attempt, timeout]);
    } catch (err) {
      outcome = { thrown: err };
    } finally {
      clearTimeout(timer);
    }
    const id = order.clientOrderId;
    if (
      outcome !== 'timeout' &&
      !('thrown' in outcome) &&
      !outcome.ok &&
      outcome.reason === 'outcome-unknown'
    ) {
      return this.settleUnknown(id, outcome.message);
    }
    if (outcome === 'timeout' || 'thrown' in outcome || (!outcome.ok && outcome.reason === 'venue-error')) {
      const detail =
        outcome === 'timeout'
          ? `no answer after ${this.placeTimeoutMs} ms`
          : 'thrown' in outcome
            ? `venue threw: ${(outcome.thrown as Error)?.message ?? String(outcome.thrown)}`
            : `venue error: ${outcome.message}`;
      if (outcome === 'timeout') {
        attempt.then(
          (late) => this.onLatePlaceResult(id, late),
          (err: unknown) => this.log.warn({ ...this.fieldsOf(order), err }, 'late placement failed'),
        );
      }
      return this.settleUnconfirmed(id, detail);
    }
    if (!outcome.ok) {
      const current = this.current(id);
      if (current)
        this.transition(current, 'rejected', 'reject', { reason: `${outcome.reason}: ${outcome.message}` });
      this.countRejected(outcome.reason);
      return { ok: false, reason: outcome.reason, message: outcome.message, ...this.withOrder(id) };
    }
    const current = this.current(id);
    if (current) this.applyVenueOrder(current, outcome.order, 'ack');
    for (const fill of outcome.fills) this.onFill(fill);
    const final = this.current(id) ?? order;
    return { ok: true, order: { ...final }, fills: outcome.fills };
  }

  /** The venue did not confirm: ask it what it has, and settle the order from that answer. */
  private async settleUnconfirmed(clientOrderId: string, detail: string): Promise<ManagedPlaceResult> {
    const order = this.current(clientOrderId);
    this.log.warn({ ...(order && this.fieldsOf(order)), detail }, 'placement unconfirmed: reconciling');
    try {
      await this.reconcile({ only: [clientOrderId] });
    } catch (err) {
      // The venue out of reach is an outage the reconnect's reconciliation settles (the order stays
      // unconfirmed, never re-sent); anything else needs an operator.
      const fields = { ...(order && this.fieldsOf(order)), err };
      if (isConnectionError(err))
        this.log.warn(
          fields,
          'reconciling an unconfirmed order failed: venue unreachable, retried on reconnect',
        );
      else this.log.error(fields, 'reconciling an unconfirmed order failed');
    }
    const settled = this.current(clientOrderId);
    if (settled && !['expired', 'rejected', 'cancelled', 'new'].includes(settled.status)) {
      return { ok: true, order: { ...settled }, fills: this.journal.fillsFor(settled) };
    }
    this.countRejected('unconfirmed');
    return {
      ok: false,
      reason: 'unconfirmed',
      message: `placement unconfirmed (${detail}); now ${settled?.status ?? 'unknown'}, not re-sent`,
      ...this.withOrder(clientOrderId),
    };
  }

  /**
   * The transaction may have landed but the venue could not read what it did: never a failure,
   * never re-sent. The order stays live (its user order id held, counted by the risk checks) and
   * is reconciled now and then until the venue shows it open, filled or cancelled.
   */
  private async settleUnknown(clientOrderId: string, detail: string): Promise<ManagedPlaceResult> {
    this.outcomeUnknown.add(clientOrderId);
    const order = this.current(clientOrderId);
    if (order) this.journal.recordEvent(clientOrderId, 'outcome-unknown', order.status, detail);
    this.log.warn({ ...(order && this.fieldsOf(order)), detail }, 'order outcome unknown: reconciling');
    await this.reconcileUnknown();
    const settled = this.current(clientOrderId);
    if (settled && settled.status !== 'new') {
      return { ok: true, order: { ...settled }, fills: this.journal.fillsFor(settled) };
    }
    this.countRejected('outcome-unknown');
    return {
      ok: false,
      reason: 'outcome-unknown',
      message: `order outcome unknown (${detail}); kept live and reconciled, not re-sent`,
      ...this.withOrder(clientOrderId),
    };
  }

  /** Reconciles the orders of unknown outcome; again after `placeTimeoutMs` while any is left. */
  private async reconcileUnknown(): Promise<void> {
    clearTimeout(this.unknownTimer);
    try {
      await this.reconcile({ only: [...this.outcomeUnknown], cancelUnknown: false });
    } catch (err) {
      this.log.error({ err }, 'reconciling orders of unknown outcome failed');
    }
    for (const id of this.outcomeUnknown) {
      if (this.current(id)?.status !== 'new') this.outcomeUnknown.delete(id);
    }
    if (this.outcomeUnknown.size > 0 && !this.stopping) {
      this.unknownTimer = setTimeout(() => void this.reconcileUnknown(), this.placeTimeoutMs);
      this.unknownTimer.unref();
    }
  }

  /** A placement answered after its timeout: keep it if still live, cancel it if we gave up on it. */
  private onLatePlaceResult(clientOrderId: string, result: Awaited<ReturnType<Venue['placeOrder']>>): void {
    const order = this.current(clientOrderId);
    if (!order || !result.ok) return;
    for (const fill of result.fills) this.onFill(fill);
    this.applyVenueOrder(this.current(clientOrderId) ?? order, result.order, 'late-ack');
  }

  // --- venue events ---

  private onVenueEvent(event: VenueEvent): void {
    try {
      switch (event.type) {
        case 'fill':
          this.seeVenueTs(event.fill.ts);
          if (event.fill.subAccount === this.subAccount) this.onFill(event.fill);
          return;
        case 'order':
          this.seeVenueTs(event.order.updatedAt);
          if (event.order.subAccount === this.subAccount) this.onVenueOrder(event.order);
          return;
        case 'oracle':
          this.seeVenueTs(event.price.ts);
          return;
        case 'halt':
          this.setTradingState('halted', `venue: ${event.reason}`);
          return;
        case 'connection':
          if (event.state === 'disconnected') {
            this.disconnected = true;
            this.log.warn({}, 'venue disconnected');
          } else if (this.disconnected && this.started) {
            this.disconnected = false;
            this.reconcile().catch((err: unknown) =>
              this.log.error({ err }, 'reconcile after reconnect failed'),
            );
          }
          return;
      }
    } catch (err) {
      this.log.error({ err, event: event.type }, 'venue event handling failed');
    }
  }

  private onVenueOrder(venueOrder: Order): void {
    if (this.replacedOrderIds.has(venueOrder.orderId)) return; // its successor carries the order on
    const order = this.findOrder(venueOrder);
    if (order) {
      this.applyVenueOrder(order, venueOrder, 'venue');
      return;
    }
    if (this.pool.contains(venueOrder.userOrderId) && !isTerminal(venueOrder.status)) {
      this.log.warn(
        { orderId: venueOrder.orderId, userOrderId: venueOrder.userOrderId, market: venueOrder.market },
        'venue reports an order of this bot the journal does not know; the next reconcile cancels it',
      );
    }
  }

  private onFill(fill: Fill): void {
    const order = this.findOrderOfFill(fill);
    if (!order) {
      const list = this.orphanFills.get(fill.orderId) ?? [];
      if (this.orphanFills.size < MAX_ORPHAN_FILLS) this.orphanFills.set(fill.orderId, [...list, fill]);
      return;
    }
    if (!this.journal.recordFill(order.clientOrderId, fill)) return; // already journaled
    this.counts.fills += 1;
    if (fill.fee >= 0n) this.feesPaid += fill.fee;
    else this.feesReceived -= fill.fee;
    const fillSum = this.journal.fillsFor(order).reduce((sum, f) => sum + f.baseAmount, 0n);
    const filledBase = maxBig(fillSum, order.filledBase);
    const changes = { filledBase, orderId: order.orderId ?? fill.orderId };
    if (isTerminal(order.status)) {
      if (filledBase > order.filledBase) this.update(order, 'late-fill', changes);
    } else {
      this.transition(order, liveStatusFor(filledBase, order.baseAmount), 'fill', changes);
    }
    const fields = {
      ...this.fieldsOf(order),
      fillId: fill.fillId,
      // Human units in the log (the journal keeps the fixed-point integers).
      price: formatPrice(fill.price),
      baseAmount: formatBase(fill.baseAmount),
    };
    this.log.info(fields, 'order fill');
    this.emit({ type: 'fill', order: { ...(this.current(order.clientOrderId) ?? order) }, fill });
  }

  /** Journals a refreshed expiry; on Drift the refresh re-placed the order under a new venue id. */
  private onExpiryRefreshed(order: ManagedOrder, venueOrder: Order): void {
    const current = this.live.get(order.clientOrderId);
    if (!current) return;
    const detail = `maxTs ${new Date(venueOrder.maxTs ?? 0).toISOString()}`;
    const previous = current.orderId;
    if (previous === undefined || previous === venueOrder.orderId) {
      this.journal.recordEvent(current.clientOrderId, 'expiry-refreshed', current.status, detail);
      return;
    }
    this.replacedOrderIds.add(previous);
    this.byOrderId.delete(previous);
    current.orderId = venueOrder.orderId;
    current.updatedAt = Date.now();
    this.byOrderId.set(venueOrder.orderId, current.clientOrderId);
    this.journal.recordUpdate(
      current,
      'expiry-refreshed',
      `${detail}; order id ${previous} -> ${venueOrder.orderId}`,
    );
  }

  /** Brings an order to what the venue reports, if that is a legal step forward. */
  private applyVenueOrder(order: ManagedOrder, venueOrder: Order, kind: string): void {
    const filledBase = maxBig(venueOrder.filledBase, order.filledBase);
    const venueLive = !isTerminal(venueOrder.status);
    const to = venueLive ? liveStatusFor(filledBase, order.baseAmount) : venueOrder.status;
    // Why the venue ended it: past its maxTs, or the program's own reason (a reduce-only order it
    // cancelled at fill time).
    const reason = venueLive ? undefined : (expiryReason(venueOrder) ?? venueOrder.reason);
    if (isTerminal(order.status) && venueLive) {
      if (order.status === 'expired' || order.status === 'rejected') {
        this.cancelLateOrder(order, venueOrder);
      } else {
        this.log.debug(
          { ...this.fieldsOf(order), venueStatus: venueOrder.status },
          'stale venue snapshot ignored',
        );
      }
      return;
    }
    this.transition(order, to, kind, {
      filledBase,
      orderId: order.orderId ?? venueOrder.orderId,
      ...(reason !== undefined && { reason }),
    });
  }

  // --- state machine ---

  /** Moves `order` to `to` if the state machine allows it; refuses and logs otherwise. */
  private transition(
    order: ManagedOrder,
    to: OrderStatus,
    kind: string,
    changes: { filledBase?: bigint; orderId?: string; reason?: string } = {},
  ): boolean {
    const from = order.status;
    if (to === from) {
      if (isTerminal(from)) return true;
      const grew = changes.filledBase !== undefined && changes.filledBase > order.filledBase;
      if (grew || (changes.orderId && !order.orderId)) this.update(order, kind, changes);
      return true;
    }
    if (!canTransition(from, to)) {
      this.counts.illegalTransitions += 1;
      this.journal.recordEvent(order.clientOrderId, 'illegal-transition', from, `${from} -> ${to} (${kind})`);
      this.log.warn({ ...this.fieldsOf(order), from, to, source: kind }, 'illegal order transition refused');
      return false;
    }
    this.update(order, kind, { ...changes, status: to });
    if (to === 'filled') this.counts.filled += 1;
    if (to === 'cancelled') this.counts.cancelled += 1;
    if (to === 'expired') this.counts.expired += 1;
    const level = to === 'rejected' || to === 'expired' ? 'warn' : 'info';
    this.log[level]({ ...this.fieldsOf(order), from, to, reason: order.reason }, `order ${to}`);
    this.emit({
      type: 'state',
      order: { ...order },
      from,
      to,
      ...(order.reason ? { reason: order.reason } : {}),
    });
    return true;
  }

  /** Writes changed fields to the journal and the in-memory indexes. */
  private update(
    order: ManagedOrder,
    kind: string,
    changes: { status?: OrderStatus; filledBase?: bigint; orderId?: string; reason?: string },
  ): void {
    if (changes.status !== undefined) order.status = changes.status;
    if (changes.filledBase !== undefined && changes.filledBase > order.filledBase)
      order.filledBase = changes.filledBase;
    if (changes.reason !== undefined) order.reason = changes.reason;
    const acked = changes.orderId !== undefined && order.orderId === undefined;
    if (acked) order.orderId = changes.orderId;
    order.updatedAt = Date.now();
    this.journal.recordUpdate(order, kind, changes.reason);
    if (isTerminal(order.status)) {
      this.untrack(order);
    } else if (acked && order.orderId) {
      this.byOrderId.set(order.orderId, order.clientOrderId);
      for (const fill of this.takeOrphanFills(order.orderId)) this.onFill(fill);
    }
  }

  private applyResolution(resolution: OrderResolution): OrderStatus {
    for (const fill of resolution.fills) this.onFill(fill);
    const order = this.current(resolution.clientOrderId);
    if (!order) return resolution.status;
    if (!isTerminal(order.status)) {
      this.transition(order, resolution.status, 'reconcile', {
        filledBase: resolution.filledBase,
        ...(resolution.orderId === undefined ? {} : { orderId: resolution.orderId }),
        ...(isTerminal(resolution.status) ? { reason: resolution.reason } : {}),
      });
    }
    return this.current(resolution.clientOrderId)?.status ?? resolution.status;
  }

  // --- unknown and late orders ---

  private async cancelUnknown(venueOrder: Order): Promise<boolean> {
    const fields = {
      orderId: venueOrder.orderId,
      userOrderId: venueOrder.userOrderId,
      market: venueOrder.market,
    };
    const ok = await this.venue.cancelOrder(venueOrder.orderId, { subAccount: this.subAccount });
    const clientOrderId = venueOrder.clientOrderId ?? `${this.bot}-venue-${venueOrder.orderId}`;
    const detail = `open at venue, unknown to the journal: ${ok ? 'cancelled' : 'cancel failed'}`;
    if (this.journal.get(clientOrderId)) {
      this.journal.recordEvent(clientOrderId, 'unknown-cancelled', undefined, detail);
    } else {
      const now = Date.now();
      this.journal.recordIntent({
        clientOrderId,
        userOrderId: venueOrder.userOrderId ?? 0,
        orderId: venueOrder.orderId,
        bot: this.bot,
        subAccount: venueOrder.subAccount,
        market: venueOrder.market,
        side: venueOrder.side,
        type: venueOrder.type,
        baseAmount: venueOrder.baseAmount,
        ...(venueOrder.price === undefined ? {} : { price: venueOrder.price }),
        postOnly: venueOrder.postOnly,
        reduceOnly: venueOrder.reduceOnly,
        ioc: venueOrder.ioc,
        status: ok ? 'cancelled' : 'open',
        filledBase: venueOrder.filledBase,
        reason: detail,
        sinceVenueTs: venueOrder.createdAt,
        createdAt: now,
        updatedAt: now,
      });
    }
    if (ok) this.counts.unknownCancelled += 1;
    this.log.warn({ ...fields, clientOrderId, cancelled: ok }, 'unknown venue order: cancelling');
    return ok;
  }

  /** The venue has open an order we already declared expired or rejected: it must not trade. */
  private cancelLateOrder(order: ManagedOrder, venueOrder: Order): void {
    this.log.warn(
      { ...this.fieldsOf(order), orderId: venueOrder.orderId, status: order.status },
      'venue opened an order already given up on: cancelling it',
    );
    this.journal.recordEvent(order.clientOrderId, 'late-order-cancel', order.status, venueOrder.orderId);
    this.venue
      .cancelOrder(venueOrder.orderId, { subAccount: this.subAccount })
      .catch((err: unknown) =>
        this.log.error({ ...this.fieldsOf(order), err }, 'cancelling a late order failed'),
      );
  }

  // --- lookups and bookkeeping ---

  private track(order: ManagedOrder): void {
    this.live.set(order.clientOrderId, order);
    this.pool.claim(order.userOrderId);
    if (order.orderId) this.byOrderId.set(order.orderId, order.clientOrderId);
  }

  private untrack(order: ManagedOrder): void {
    this.live.delete(order.clientOrderId);
    if (order.orderId) this.byOrderId.delete(order.orderId);
    this.pool.release(order.userOrderId);
  }

  /** The live record, or the journal's for a terminal order. */
  private current(clientOrderId: string): ManagedOrder | undefined {
    return this.live.get(clientOrderId) ?? this.journal.get(clientOrderId);
  }

  private withOrder(clientOrderId: string): { order?: ManagedOrder } {
    const order = this.current(clientOrderId);
    return order ? { order: { ...order } } : {};
  }

  private findOrder(venueOrder: Order): ManagedOrder | undefined {
    const byId = this.byOrderId.get(venueOrder.orderId);
    if (byId) return this.live.get(byId);
    if (venueOrder.clientOrderId !== undefined) {
      return this.live.get(venueOrder.clientOrderId) ?? this.journal.get(venueOrder.clientOrderId);
    }
    for (const order of this.live.values()) {
      if (!order.orderId && order.userOrderId === venueOrder.userOrderId) return order;
    }
    return undefined;
  }

  private findOrderOfFill(fill: Fill): ManagedOrder | undefined {
    const byId = this.byOrderId.get(fill.orderId);
    if (byId) return this.live.get(byId);
    if (fill.clientOrderId !== undefined) {
      const order = this.live.get(fill.clientOrderId) ?? this.journal.get(fill.clientOrderId);
      if (order?.bot === this.bot) return order;
    }
    const known = this.journal.getByOrderId(fill.orderId);
    return known?.bot === this.bot ? known : undefined;
  }

  private takeOrphanFills(orderId: string): Fill[] {
    const fills = this.orphanFills.get(orderId) ?? [];
    this.orphanFills.delete(orderId);
    return fills;
  }

  private isBeingSent(venueOrder: Order): boolean {
    for (const id of this.sending.keys()) {
      const order = this.live.get(id);
      if (order && (venueOrder.clientOrderId === id || venueOrder.userOrderId === order.userOrderId))
        return true;
    }
    return false;
  }

  private ordersLastMinute(): number {
    const cutoff = this.now() - 60_000;
    while (this.sentTimes.length > 0 && (this.sentTimes[0] ?? 0) <= cutoff) this.sentTimes.shift();
    return this.sentTimes.length;
  }

  private seeVenueTs(ts: number): void {
    if (ts > this.venueTsSeen) this.venueTsSeen = ts;
  }

  private async venuePosition(market: string): Promise<bigint> {
    const positions = await this.venue.getPositions({ subAccount: this.subAccount, market });
    return positions.find((p) => p.market === market)?.baseAmount ?? 0n;
  }

  private countRejected(reason: ManagerRejectReason): void {
    this.counts.rejected[reason] = (this.counts.rejected[reason] ?? 0) + 1;
  }

  private fieldsOf(order: ManagedOrder) {
    return {
      clientOrderId: order.clientOrderId,
      orderId: order.orderId,
      userOrderId: order.userOrderId,
      market: order.market,
    };
  }

  private emit(event: OrderManagerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'order event listener threw');
      }
    }
  }
}

/** Why the venue expired an order past its maxTs, in the venue's reject vocabulary (`order-expired`). */
function expiryReason(venueOrder: Order): string | undefined {
  if (venueOrder.status !== 'expired' || venueOrder.maxTs === undefined) return undefined;
  if (venueOrder.updatedAt <= venueOrder.maxTs) return undefined;
  return `order-expired: past its maxTs ${new Date(venueOrder.maxTs).toISOString()}, never filled after it`;
}
