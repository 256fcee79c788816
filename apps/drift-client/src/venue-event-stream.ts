/**
 * The venue's event stream: oracle updates and order changes from the subscribed accounts, fills
 * from the SDK's EventSubscriber on our user accounts (and from our own transactions), each
 * delivered once to the venue's listeners. It keeps the fills, trades and program cancel reasons
 * seen since connect, and follows every order of each sub-account (order-tracker.ts).
 */
import type { Fill, Order, RejectReason, Trade, Unsubscribe, VenueEvent } from '@drift/domain';
import {
  type DriftClient,
  EventSubscriber,
  isVariant,
  type OrderActionRecord,
  type User,
} from '@drift-labs/sdk';
import { cancelReasonOf, toCoreFill } from './account-view.js';
import { fromBN } from './bn.js';
import { withLenientEvents } from './event-coder.js';
import { type FillProgress, OrderTracker } from './order-tracker.js';
import { fetchTxEvents } from './tx-events.js';
import {
  type AccountMark,
  type AccountOutcome,
  accountFillFields,
  outcomeOfVanishedOrder,
} from './tx-outcome.js';
import type { VenueContext } from './venue-context.js';

const FILLS_KEPT = 10_000;
const TRADES_KEPT = 500;
/** How long an order that left the account waits for its fill logs before transactions are read. */
const ORDER_END_GRACE_MS = 500;
/** Recent transactions of the account read to settle a vanished order. */
const RECENT_TRANSACTIONS_READ = 25;

export class VenueEventStream {
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private readonly fills = new Map<number, Fill[]>();
  /** sub-account -> Drift order id -> why the program cancelled it (from its cancel record). */
  private readonly cancelReasons = new Map<number, Map<number, RejectReason>>();
  private readonly trades = new Map<string, Trade[]>();
  /** sub-account -> its order events (orders followed from account updates and fill records). */
  private readonly trackers = new Map<number, OrderTracker<AccountMark>>();
  /** Signatures whose events were read for a vanished order (not read twice). */
  private readonly examined = new Set<string>();
  private eventSubscribers: EventSubscriber[] = [];

  constructor(
    private readonly ctx: VenueContext,
    /** The sub-account's open orders as the venue reports them. */
    private readonly openOrders: (sub: number) => Promise<Order[]>,
  ) {}

  subscribe(listener: (event: VenueEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  deliver(event: VenueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.ctx.logger.error({ err, event: event.type }, 'venue listener threw');
      }
    }
  }

  /** Fills of the sub-account seen since connect, oldest first. */
  fillsOf(sub: number): readonly Fill[] {
    return this.fills.get(sub) ?? [];
  }

  recentTrades(market: string, limit: number): Trade[] {
    return (this.trades.get(market) ?? []).slice(-limit);
  }

  /** Starts following every sub-account's orders from what is open now (the baseline of later updates). */
  async startTrackers(): Promise<void> {
    for (const sub of this.ctx.subs) {
      // The baseline later account updates are compared with (so a vanished order is reported).
      const tracker = this.newTracker(sub);
      tracker.reset(await this.openOrders(sub), this.ctx.accountSlot(sub), this.accountMark(sub));
      this.trackers.set(sub, tracker);
    }
  }

  watchAccounts(client: DriftClient): void {
    client.eventEmitter.on('oraclePriceUpdate', (publicKey, _source, data) => {
      const config = this.ctx.configs.find((c) => c.oracle.equals(publicKey));
      if (!config) return;
      const slot = data.slot.toNumber();
      this.deliver({
        type: 'oracle',
        price: {
          market: config.symbol,
          price: fromBN(data.price),
          slot,
          ts: this.ctx.seenAt(config.marketIndex, slot),
        },
      });
    });
    for (const sub of this.ctx.subs) {
      client.getUser(sub).eventEmitter.on('userAccountUpdate', () => {
        void this.emitOrderChanges(sub);
      });
    }
  }

  async startFillEvents(client: DriftClient): Promise<void> {
    const { params } = this.ctx.opts;
    for (const sub of this.ctx.subs) {
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
          this.ctx.logger.info(
            { market: fill.market, orderId: fill.orderId, fillId: fill.fillId, subAccount: sub },
            'fill',
          );
      });
      await subscriber.subscribe();
      this.eventSubscribers.push(subscriber);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.eventSubscribers.map((s) => s.unsubscribe().catch(() => false)));
    this.eventSubscribers = [];
    for (const tracker of this.trackers.values()) tracker.close();
    this.trackers.clear();
  }

  /**
   * Stores and announces our fill in `record` (once per fill id); returns it. A cancel of our order
   * with a known explanation is kept as that order's end reason.
   */
  recordFill(record: OrderActionRecord, sub: number, user: User): Fill | undefined {
    const cancel = cancelReasonOf(record, user.getUserAccountPublicKey());
    if (cancel) {
      const reasons = this.cancelReasons.get(sub) ?? new Map<number, RejectReason>();
      reasons.set(cancel.orderId, cancel.reason);
      if (reasons.size > FILLS_KEPT) reasons.delete(reasons.keys().next().value as number);
      this.cancelReasons.set(sub, reasons);
    }
    const market = this.ctx.symbolOf(record.marketIndex);
    if (!market || !isVariant(record.marketType, 'perp')) return undefined;
    const fill = toCoreFill(record, {
      user: user.getUserAccountPublicKey(),
      subAccount: sub,
      market,
      clientOrderIdOf: (orderId) => this.ctx.clientOrderIdOf(sub, orderId),
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

  /** Order events for what changed in the user account since the last update. */
  private async emitOrderChanges(sub: number): Promise<void> {
    const open = await this.openOrders(sub);
    this.trackers.get(sub)?.onAccount(open, this.ctx.accountSlot(sub), this.accountMark(sub));
  }

  private accountMark(sub: number): AccountMark | undefined {
    const user = this.ctx.user(sub);
    return user ? this.ctx.markOf(user) : undefined;
  }

  private newTracker(sub: number): OrderTracker<AccountMark> {
    const { pollingIntervalMs, confirm } = this.ctx.opts.params;
    return new OrderTracker<AccountMark>({
      deliver: (order) => this.deliver({ type: 'order', order }),
      filledOf: (orderId) =>
        this.fillsOf(sub)
          .filter((f) => f.orderId === String(orderId))
          .reduce((sum, f) => sum + f.baseAmount, 0n),
      readRecentFills: (sinceSlot) => this.readRecentFills(sub, sinceSlot),
      reasonOf: (orderId) => this.cancelReasons.get(sub)?.get(orderId),
      graceMs: Math.max(ORDER_END_GRACE_MS, 2 * pollingIntervalMs),
      accountFallbackReads: confirm.lookupAttempts,
      fromAccount: (order, before, after) => this.settleFromAccount(sub, order, before, after),
      now: this.ctx.now,
    });
  }

  /**
   * What an order that left the account filled, by the account's change around its leaving
   * (`tx-outcome.ts`), for when its transaction stays unreadable and its fill logs never came.
   */
  private settleFromAccount(
    sub: number,
    order: Order,
    before: AccountMark,
    after: AccountMark,
  ): AccountOutcome {
    const marketIndex = this.ctx.configs.find((c) => c.symbol === order.market)?.marketIndex;
    const outcome =
      marketIndex === undefined
        ? { ok: false as const, why: `market ${order.market} is not followed` }
        : outcomeOfVanishedOrder(before, after, {
            orderId: Number(order.orderId),
            marketIndex,
            side: order.side,
            baseAmount: order.baseAmount,
          });
    const fields = {
      subAccount: sub,
      market: order.market,
      orderId: order.orderId,
      slots: [before.slot, after.slot],
    };
    if (outcome.ok) {
      this.ctx.logger.info(
        { ...fields, ...accountFillFields(outcome) },
        'order left the account, its transactions unreadable: settled from the position change',
      );
    } else {
      this.ctx.logger.warn(
        { ...fields, why: outcome.why },
        'order left the account, its transactions unreadable and the position change ambiguous: outcome unknown, reconcile',
      );
    }
    return outcome;
  }

  /**
   * Reads the sub-account's recent transactions not read yet and records their fills; false when
   * one that landed after `sinceSlot` could not be read (the node answered null).
   */
  private async readRecentFills(sub: number, sinceSlot: number): Promise<boolean> {
    const client = this.ctx.need();
    const user = this.ctx.user(sub);
    if (!user) return true;
    const commitment = this.ctx.opts.params.commitment === 'finalized' ? 'finalized' : 'confirmed';
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
    this.ctx.logger.warn(
      { subAccount: sub, signatures: unread },
      'recent transactions not readable yet: orders that left the account wait for them',
    );
    return false;
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
