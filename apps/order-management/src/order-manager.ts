/**
 * One bot's orders on one venue sub-account: every order passes the admission gate (trading state,
 * pre-trade checks, rate limit), is journaled as an intent, sent, and then followed through its
 * states by the place result and the venue's events. See README.md for the guarantees.
 *
 * This class wires the parts and owns the lifecycle (start, trading state, stop); each job is its
 * own module: admission-gate.ts, order-index.ts, order-state-machine.ts, placement-outcome.ts,
 * stray-orders.ts, order-tally.ts, order-expiry.ts.
 */
import { ORDER_EXPIRY_MS } from '@drift/config';
import type {
  Order,
  OrderRequest,
  PlaceResult,
  TakerOrder,
  TradingStateName,
  Unsubscribe,
  Venue,
  VenueEvent,
} from '@drift/domain';
import { errorMessage, type LoggerLike } from '@drift/logging';
import { AdmissionGate, type ClientRequest, RefusedError } from './admission-gate.js';
import {
  ClientOrderIdGenerator,
  USER_ORDER_ID_MAX,
  USER_ORDER_ID_MIN,
  UserOrderIdPool,
} from './client-ids.js';
import { Journal } from './journal.js';
import type { ManagedOrder } from './managed-order.js';
import { ExpiryKeeper, restsOnBook, validExpiryMs } from './order-expiry.js';
import { OrderIndex } from './order-index.js';
import {
  type ManagedPlaceResult,
  type OrderCounters,
  type OrderManagerEvent,
  type OrderManagerOptions,
  orderFields,
  type ReconcileSummary,
} from './order-manager-types.js';
import { OrderStateMachine } from './order-state-machine.js';
import { isTerminal } from './order-states.js';
import { type OrderStatusReport, OrderTally } from './order-tally.js';
import { PlacementOutcome } from './placement-outcome.js';
import type { PreTradeCheck } from './pre-trade.js';
import { type RateLimitOptions, TokenBucket } from './rate-limit.js';
import { planReconciliation } from './reconcile.js';
import { StrayOrders } from './stray-orders.js';

export type {
  ManagedPlaceResult,
  OrderCounters,
  OrderManagerEvent,
  OrderManagerOptions,
  ReconcileSummary,
} from './order-manager-types.js';

const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 20, perSecond: 10 };
const DEFAULT_PLACE_TIMEOUT_MS = 10_000;
/** Venue timestamps of fills can trail the events we saw (block time granularity). */
const FILL_REPLAY_SLACK_MS = 1_000;

export class OrderManager {
  readonly bot: string;
  readonly subAccount: number;
  readonly journal: Journal;
  private readonly venue: Venue;
  private readonly log: LoggerLike;
  private readonly ids: ClientOrderIdGenerator;
  private readonly pool: UserOrderIdPool;
  private readonly cancelOnHalt: boolean;
  private readonly ownsJournal: boolean;
  private readonly now: () => number;
  private readonly index: OrderIndex;
  private readonly tally = new OrderTally();
  private readonly gate: AdmissionGate;
  private readonly machine: OrderStateMachine;
  private readonly outcome: PlacementOutcome;
  private readonly strays: StrayOrders;
  private readonly expiry: ExpiryKeeper;
  /** Sends not yet answered, by client id: never reconciled as "unknown to the venue". */
  private readonly sending = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<(event: OrderManagerEvent) => void>();
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
    // Wall time, not the injected clock: the epoch only keeps client ids unique across restarts.
    this.ids = new ClientOrderIdGenerator(options.bot);
    const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.now = options.now ?? Date.now;
    const placeTimeoutMs = options.placeTimeoutMs ?? DEFAULT_PLACE_TIMEOUT_MS;
    if (!Number.isFinite(placeTimeoutMs) || placeTimeoutMs <= 0) {
      throw new RangeError(`placeTimeoutMs: ${String(options.placeTimeoutMs)} is not a positive number`);
    }
    this.cancelOnHalt = options.cancelOnHalt ?? true;
    this.ownsJournal = typeof options.journal === 'string';
    this.journal =
      typeof options.journal === 'string'
        ? new Journal(options.journal, {
            ...(options.journalSync !== undefined && { sync: options.journalSync }),
            now: this.now,
          })
        : options.journal;
    const now = this.now;
    const log = this.log;
    const journal = this.journal;
    const tally = this.tally;
    const index = new OrderIndex(this.bot, journal, this.pool);
    this.index = index;
    this.gate = new AdmissionGate({
      bot: this.bot,
      subAccount: this.subAccount,
      bucket: rate === false ? undefined : new TokenBucket(rate, now),
      positionOf: options.positionOf ?? ((market) => this.venuePosition(market)),
      now,
      tradingState: () => this.state,
      stopping: () => this.stopping,
      isKnown: (id) => index.isKnown(id),
      liveOrders: () => this.liveOrders(),
    });
    this.strays = new StrayOrders({
      bot: this.bot,
      subAccount: this.subAccount,
      venue: this.venue,
      journal,
      tally,
      log,
      now,
    });
    this.machine = new OrderStateMachine({
      journal,
      index,
      tally,
      log,
      now,
      emit: (event) => this.emit(event),
      onLateOrder: (order, venueOrder) => this.strays.cancelLate(order, venueOrder),
    });
    this.outcome = new PlacementOutcome({
      placeTimeoutMs,
      journal,
      index,
      machine: this.machine,
      tally,
      log,
      reconcile: (opts) => this.reconcile(opts),
      stopping: () => this.stopping,
    });
    this.expiry = new ExpiryKeeper({
      venue: this.venue,
      subAccount: this.subAccount,
      expiryMs: validExpiryMs(options.orderExpiryMs ?? ORDER_EXPIRY_MS.default),
      log,
      now,
      // Halted: nothing is extended either; what rests lapses if the cancel-all did not reach it.
      resting: () =>
        this.state === 'halted'
          ? []
          : index.liveRecords().filter((o) => o.orderId !== undefined && restsOnBook(o)),
      onRefreshed: (order, venueOrder) => this.machine.applyExpiryRefresh(order, venueOrder),
      onGone: (order, detail) => {
        log.info({ ...orderFields(order), detail }, 'order gone before its expiry was refreshed');
        this.reconcile({ only: [order.clientOrderId] }).catch((err: unknown) =>
          log.error({ ...orderFields(order), err }, 'reconciling an order gone at refresh failed'),
        );
      },
    });
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
      this.index.track(order);
      this.outcome.restore(order);
    }
    this.unsubscribeVenue = this.venue.subscribe((event) => this.onVenueEvent(event));
    this.venueTsSeen = (await this.venue.clock()).ts;
    this.started = true;
    const summary = await this.reconcile();
    this.expiry.start();
    this.log.info(
      {
        live: this.index.size,
        checked: summary.checked,
        unknownCancelled: summary.unknownCancelled.length,
      },
      'order manager started',
    );
    return summary;
  }

  /** Runs `check` on every order before it is sent; returns a function that removes it. */
  addPreTradeCheck(check: PreTradeCheck): () => void {
    return this.gate.addCheck(check);
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

  /** Follows a trading-state source such as @drift/runtime's `AppLifecycle`; returns the unsubscribe. */
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
    const order = this.index.current(clientOrderId);
    return order && { ...order };
  }

  liveOrders(): ManagedOrder[] {
    return this.index.liveRecords().map((o) => ({ ...o }));
  }

  counters(): OrderCounters {
    return this.tally.snapshot();
  }

  /** What a bot reports with its heartbeat (@drift/runtime's `AppStatus` fields). */
  status(): OrderStatusReport {
    return this.tally.report(this.index.size);
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
      const outgoing = await this.gate.admit({ ...request, clientOrderId });
      if (opts.expires) outgoing.maxTs = await this.maxTsFor(outgoing.maxTs);
      const order = this.journalIntent(outgoing);
      outgoing.userOrderId = order.userOrderId;
      let attempt: Promise<PlaceResult>;
      try {
        attempt = sender(outgoing);
      } catch (err) {
        attempt = Promise.reject(err);
      }
      const sent = this.outcome.settle(order, attempt);
      this.sending.set(clientOrderId, sent);
      try {
        return await sent;
      } finally {
        this.sending.delete(clientOrderId);
      }
    } catch (err) {
      if (!(err instanceof RefusedError)) throw err;
      this.tally.countRejected(err.reason);
      this.log.warn({ ...fields, reason: err.reason, detail: err.message }, 'order refused');
      this.emit({ type: 'refused', ...fields, reason: err.reason, message: err.message });
      return { ok: false, reason: err.reason, message: err.message };
    }
  }

  /** Cancels one order; false when it is not live or the venue no longer has it open. */
  async cancel(clientOrderId: string): Promise<boolean> {
    await this.sending.get(clientOrderId);
    const order = this.index.liveRecord(clientOrderId);
    if (!order?.orderId) {
      this.log.warn(
        { clientOrderId, status: order?.status ?? 'unknown' },
        'cancel refused: order is not live',
      );
      return false;
    }
    const ok = await this.venue.cancelOrder(order.orderId, { subAccount: this.subAccount });
    const current = this.index.liveRecord(clientOrderId);
    if (ok && current)
      this.machine.transition(current, 'cancelled', 'cancel', { reason: 'cancel requested' });
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
      for (const order of this.index.liveRecords()) {
        if (order.orderId && (await this.venue.cancelOrder(order.orderId, { subAccount: this.subAccount }))) {
          cancelled += 1;
        }
      }
    }
    await this.reconcile();
    this.log.info({ cancelled, live: this.index.size }, 'cancel-all done');
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
      this.outcome.stop();
      this.unsubscribeVenue?.();
      if (this.ownsJournal) this.journal.close();
      this.log.info({ live: this.index.size }, 'order manager stopped');
    }
  }

  /**
   * Compares the journal's live orders with the venue's open orders and fills and settles every
   * difference (see reconcile.ts for the decisions). Orders being sent are left alone.
   */
  async reconcile(options: { only?: string[]; cancelUnknown?: boolean } = {}): Promise<ReconcileSummary> {
    const only = options.only && new Set(options.only);
    const live = this.index
      .liveRecords()
      .filter((o) => (!only || only.has(o.clientOrderId)) && (only || !this.sending.has(o.clientOrderId)));
    const openOrders = await this.venue.getOpenOrders({ subAccount: this.subAccount });
    const sinceTs = Math.min(...live.map((o) => o.sinceVenueTs));
    const fills = live.length > 0 ? await this.venue.getFills({ subAccount: this.subAccount, sinceTs }) : [];
    const plan = planReconciliation({
      live: live.map((o) => ({ ...o })),
      openOrders,
      fills,
      subAccount: this.subAccount,
      ownsUserOrderId: (id) => this.pool.contains(id),
      outcomeUnknown: (id) => this.outcome.isOutcomeUnknown(id),
      endUnknown: (id) => this.outcome.isEndUnknown(id),
    });
    const summary: ReconcileSummary = { checked: live.length, resolved: {}, unknownCancelled: [] };
    for (const resolution of plan.resolutions) {
      summary.resolved[resolution.clientOrderId] = this.machine.applyResolution(resolution);
    }
    if (options.cancelUnknown ?? !only) {
      for (const venueOrder of plan.unknown) {
        if (this.index.isBeingSent(venueOrder, this.sending.keys())) continue;
        if (await this.strays.cancelUnknown(venueOrder)) summary.unknownCancelled.push(venueOrder.orderId);
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

  /** The fleet's bound, or the caller's earlier expiry; an unreadable venue clock sends nothing. */
  private async maxTsFor(requested: number | undefined): Promise<number> {
    let bound: number;
    try {
      bound = await this.expiry.maxTsForNewOrder();
    } catch (err) {
      throw new RefusedError('venue-error', `venue clock unreadable, order not sent: ${errorMessage(err)}`);
    }
    return requested === undefined ? bound : Math.min(requested, bound);
  }

  /** Takes a user order id and writes the intent: from here a crash leaves a trace. */
  private journalIntent(request: ClientRequest): ManagedOrder {
    const userOrderId = this.pool.acquire();
    if (userOrderId === undefined) {
      const { min, max } = this.pool.range;
      throw new RefusedError(
        'user-order-ids-exhausted',
        `all ${this.pool.size} user order ids (${min}..${max}) are held by live orders; wait for one to end`,
      );
    }
    const now = this.now();
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
      throw new RefusedError('journal-error', `journal write failed, order not sent: ${errorMessage(err)}`);
    }
    this.index.track(order);
    this.tally.counts.placed += 1;
    this.gate.recordSent();
    this.log.info(orderFields(order), 'order intent journaled, sending');
    return order;
  }

  // --- venue events ---

  private onVenueEvent(event: VenueEvent): void {
    try {
      switch (event.type) {
        case 'fill':
          this.seeVenueTs(event.fill.ts);
          if (event.fill.subAccount === this.subAccount) this.machine.applyFill(event.fill);
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
    if (this.index.isReplaced(venueOrder.orderId)) return; // its successor carries the order on
    const order = this.index.findOrder(venueOrder);
    if (order) {
      this.machine.applyVenueOrder(order, venueOrder, 'venue');
      // Gone from the venue's book, what it did unreadable: may have filled, so never a cancel.
      if (venueOrder.reason === 'outcome-unknown' && !isTerminal(venueOrder.status)) {
        this.outcome.onEndUnknown(this.index.current(order.clientOrderId) ?? order);
      }
      return;
    }
    if (this.pool.contains(venueOrder.userOrderId) && !isTerminal(venueOrder.status)) {
      this.log.warn(
        { orderId: venueOrder.orderId, userOrderId: venueOrder.userOrderId, market: venueOrder.market },
        'venue reports an order of this bot the journal does not know; the next reconcile cancels it',
      );
    }
  }

  private seeVenueTs(ts: number): void {
    if (ts > this.venueTsSeen) this.venueTsSeen = ts;
  }

  private async venuePosition(market: string): Promise<bigint> {
    const positions = await this.venue.getPositions({ subAccount: this.subAccount, market });
    return positions.find((p) => p.market === market)?.baseAmount ?? 0n;
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
