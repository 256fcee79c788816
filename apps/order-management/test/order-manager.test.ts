import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LimitSet } from '@drift/domain';
import { createLogger, flushLogs } from '@drift/logging';
import type { SimEngine, SimVenue } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OrderManager,
  type OrderManagerEvent,
  type OrderManagerOptions,
  riskLimitsCheck,
  venueRiskSnapshot,
} from '../src/index.js';
import {
  base,
  buy,
  flatEngine,
  type LogLine,
  recordingLogger,
  sell,
  simVenue,
  tempDir,
  withInjectedEvents,
} from './helpers.js';

const BOT = 'test-bot';
const SUB = 1;
const COUNTERPARTY = 2;

let tmp: ReturnType<typeof tempDir>;
let engine: SimEngine;
let venue: SimVenue;
let logs: LogLine[];
let managers: OrderManager[];
let events: OrderManagerEvent[];

beforeEach(async () => {
  tmp = tempDir();
  engine = flatEngine();
  venue = await simVenue(engine, SUB);
  logs = [];
  managers = [];
  events = [];
});

afterEach(async () => {
  for (const m of managers) await m.stop({ cancel: false });
  await venue.close();
  tmp.cleanup();
});

async function startManager(options: Partial<OrderManagerOptions> = {}): Promise<OrderManager> {
  const manager = new OrderManager({
    bot: BOT,
    venue,
    journal: join(tmp.dir, 'bot.orders.sqlite'),
    logger: recordingLogger(logs),
    rateLimit: false,
    ...options,
  });
  managers.push(manager);
  manager.subscribe((e) => events.push(e));
  await manager.start();
  return manager;
}

const transitions = (clientOrderId: string) =>
  events.flatMap((e) =>
    e.type === 'state' && e.order.clientOrderId === clientOrderId ? [`${e.from}->${e.to}`] : [],
  );

describe('order lifecycle on the simulator', () => {
  it('new -> open -> partially-filled -> filled, with fills carrying the client id', async () => {
    const om = await startManager();
    const placed = await om.place(buy('149', '3'));
    if (!placed.ok) throw new Error(placed.message);
    const id = placed.order.clientOrderId;
    expect(id).toMatch(/^test-bot-\d+-1$/);
    expect(placed.order).toMatchObject({ status: 'open', userOrderId: 1 });
    expect(placed.order.orderId).toBeDefined();

    engine.place(COUNTERPARTY, sell('149', '1'));
    expect(om.get(id)).toMatchObject({ status: 'partially-filled', filledBase: base('1') });
    engine.place(COUNTERPARTY, sell('149', '2'));
    expect(om.get(id)).toMatchObject({ status: 'filled', filledBase: base('3') });

    expect(transitions(id)).toEqual(['new->open', 'open->partially-filled', 'partially-filled->filled']);
    const fills = events.filter((e) => e.type === 'fill');
    expect(fills.map((e) => [e.order.clientOrderId, e.fill.baseAmount])).toEqual([
      [id, base('1')],
      [id, base('2')],
    ]);
    expect(om.journal.fillsFor({ clientOrderId: id, subAccount: SUB })).toHaveLength(2);
    expect(om.counters()).toMatchObject({ placed: 1, filled: 1, fills: 2 });
    expect(om.liveOrders()).toEqual([]);
  });

  it('new -> filled at once when the order crosses', async () => {
    const om = await startManager();
    engine.place(COUNTERPARTY, sell('150', '2'));
    const placed = await om.place(buy('150', '2'));
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.order.status).toBe('filled');
    // The venue may or may not report the accepted order before its fill: both paths are legal.
    expect([['new->filled'], ['new->open', 'open->filled']]).toContainEqual(
      transitions(placed.order.clientOrderId),
    );
    expect(om.journal.fillsFor(placed.order)).toHaveLength(1);
  });

  it('open -> cancelled on cancel(), partially-filled -> cancelled keeps the filled size', async () => {
    const om = await startManager();
    const a = await om.place(buy('149', '1'));
    const b = await om.place(buy('148', '2'));
    if (!a.ok || !b.ok) throw new Error('placement failed');
    expect(await om.cancel(a.order.clientOrderId)).toBe(true);
    expect(om.get(a.order.clientOrderId)?.status).toBe('cancelled');
    engine.place(COUNTERPARTY, sell('148', '0.5'));
    expect(await om.cancel(b.order.clientOrderId)).toBe(true);
    expect(om.get(b.order.clientOrderId)).toMatchObject({ status: 'cancelled', filledBase: base('0.5') });
    expect(transitions(b.order.clientOrderId)).toEqual([
      'new->open',
      'open->partially-filled',
      'partially-filled->cancelled',
    ]);
    expect(engine.openOrdersList({ subAccount: SUB })).toEqual([]);
    expect(om.counters().cancelled).toBe(2);
  });

  it('new -> cancelled for an IOC that does not fill; new -> rejected for a venue refusal', async () => {
    const om = await startManager();
    const ioc = await om.place({ ...buy('140', '1'), ioc: true });
    if (!ioc.ok) throw new Error(ioc.message);
    expect(ioc.order.status).toBe('cancelled');
    engine.place(COUNTERPARTY, sell('150', '1'));
    const crossing = await om.place({ ...buy('150', '1'), postOnly: true });
    expect(crossing).toMatchObject({ ok: false, reason: 'post-only-would-cross' });
    if (crossing.ok || !crossing.order) throw new Error('expected a journaled rejection');
    expect(om.get(crossing.order.clientOrderId)).toMatchObject({ status: 'rejected' });
    expect(transitions(crossing.order.clientOrderId)).toEqual(['new->rejected']);
    expect(om.counters().rejected).toMatchObject({ 'post-only-would-cross': 1 });
  });

  it('refuses and logs an illegal transition the venue reports, keeping the journaled state', async () => {
    const inner = venue;
    const injected = withInjectedEvents(inner);
    venue = injected.venue as SimVenue;
    const om = await startManager();
    venue = inner;
    const placed = await om.place(buy('149', '1'));
    if (!placed.ok) throw new Error(placed.message);
    const id = placed.order.clientOrderId;
    await om.cancel(id);
    const order = engine.history().flatMap((h) => (h.kind === 'order-updated' ? [h.order] : []))[0];
    if (!order) throw new Error('no order update in the sim history');
    injected.inject({ type: 'order', order: { ...order, status: 'filled', filledBase: order.baseAmount } });

    expect(om.get(id)?.status).toBe('cancelled');
    expect(om.counters().illegalTransitions).toBe(1);
    const line = logs.find((l) => l.msg === 'illegal order transition refused');
    expect(line?.fields).toMatchObject({
      clientOrderId: id,
      from: 'cancelled',
      to: 'filled',
      bot: BOT,
      market: 'SOL-PERP',
    });
    expect(om.journal.eventsFor(id).map((e) => e.kind)).toContain('illegal-transition');
  });

  it('puts bot, market, clientOrderId and orderId on every order log line', async () => {
    const om = await startManager();
    const placed = await om.place(buy('149', '1'));
    if (!placed.ok) throw new Error(placed.message);
    engine.place(COUNTERPARTY, sell('149', '1'));
    const orderLines = logs.filter((l) => l.fields.clientOrderId === placed.order.clientOrderId);
    expect(orderLines.length).toBeGreaterThanOrEqual(3);
    for (const line of orderLines) {
      expect(line.fields).toMatchObject({ bot: BOT, market: 'SOL-PERP', component: 'order-management' });
    }
    expect(orderLines.filter((l) => l.fields.orderId === placed.order.orderId).length).toBeGreaterThanOrEqual(
      2,
    );
  });
});

describe('with @drift/logging', () => {
  it('writes the correlation fields of every order line to the app log file', async () => {
    const logger = createLogger({
      appName: 'om-test-bot',
      critical: true,
      enableConsoleLogging: false,
      fileFormat: 'json',
      logDir: tmp.dir,
    });
    const om = await startManager({ logger });
    const placed = await om.place(buy('149', '1'));
    if (!placed.ok) throw new Error(placed.message);
    engine.place(COUNTERPARTY, sell('149', '1'));
    await flushLogs();
    const lines = readFileSync(join(tmp.dir, 'om-test-bot.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.clientOrderId === placed.order.clientOrderId);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['order open', 'order fill', 'order filled']),
    );
    for (const line of lines) {
      expect(line).toMatchObject({ bot: BOT, market: 'SOL-PERP', component: 'order-management' });
    }
    expect(lines.filter((l) => l.orderId === placed.order.orderId).length).toBeGreaterThanOrEqual(3);
    // money in human units, not the fixed-point integers (149 USDC, 1 SOL)
    expect(lines.find((l) => l.msg === 'order fill')).toMatchObject({ price: '149', baseAmount: '1' });
  });
});

describe('client ids and user order ids', () => {
  it('refuses placing when every user order id is live, and reuses ids once orders end', async () => {
    const om = await startManager({ userOrderIds: { min: 1, max: 3 } });
    const placed = [];
    for (const price of ['149', '148', '147']) {
      const r = await om.place(buy(price, '1'));
      if (!r.ok) throw new Error(r.message);
      placed.push(r.order);
    }
    expect(placed.map((o) => o.userOrderId)).toEqual([1, 2, 3]);
    const refused = await om.place(buy('146', '1'));
    expect(refused).toMatchObject({ ok: false, reason: 'user-order-ids-exhausted' });
    if (refused.ok) throw new Error('unreachable');
    expect(refused.message).toContain('all 3 user order ids (1..3) are held by live orders');
    expect(engine.openOrdersList({ subAccount: SUB })).toHaveLength(3);

    await om.cancel(placed[1]!.clientOrderId);
    const next = await om.place(buy('146', '1'));
    expect(next).toMatchObject({ ok: true, order: { userOrderId: 2 } });
    // Live orders never share a user order id.
    const live = om.liveOrders().map((o) => o.userOrderId);
    expect(new Set(live).size).toBe(live.length);
  });

  it('refuses a client id the journal already has and never sends it again', async () => {
    const om = await startManager();
    const first = await om.place({ ...buy('149', '1'), clientOrderId: 'intent-42' });
    expect(first).toMatchObject({ ok: true, order: { clientOrderId: 'intent-42' } });
    const again = await om.place({ ...buy('149', '1'), clientOrderId: 'intent-42' });
    expect(again).toMatchObject({ ok: false, reason: 'duplicate-client-id' });
    const accepted = engine.history().filter((h) => h.kind === 'order-accepted');
    expect(accepted).toHaveLength(1);
  });
});

describe('pre-trade checks, rate limit, trading state', () => {
  it('refuses with the check reason, logs it, and sends nothing', async () => {
    const om = await startManager();
    om.addPreTradeCheck(({ request }) =>
      request.baseAmount > base('5')
        ? { ok: false, message: 'max position 5 SOL-PERP would be exceeded' }
        : { ok: true },
    );
    expect(await om.place(buy('149', '6'))).toMatchObject({
      ok: false,
      reason: 'risk-limit',
      message: 'max position 5 SOL-PERP would be exceeded',
    });
    expect(await om.place(buy('149', '5'))).toMatchObject({ ok: true });
    expect(engine.openOrdersList({ subAccount: SUB })).toHaveLength(1);
    const line = logs.find((l) => l.msg === 'order refused');
    expect(line?.fields).toMatchObject({ reason: 'risk-limit', market: 'SOL-PERP', bot: BOT });
    expect(events.find((e) => e.type === 'refused')).toMatchObject({ reason: 'risk-limit' });
    expect(om.counters().rejected).toEqual({ 'risk-limit': 1 });
  });

  it("plugs in the domain's risk limits: position and order-rate limits refuse with their reason", async () => {
    const om = await startManager();
    const limits: LimitSet = {
      maxPositionBase: { 'SOL-PERP': base('5') },
      maxGrossNotional: 10_000_000_000n,
      maxLeverageBps: 100_000n,
      dailyLossLimit: 1_000_000_000n,
      staleOracleMs: 3_600_000,
      maxOrdersPerMinute: 2,
    };
    om.addPreTradeCheck(riskLimitsCheck(limits, venueRiskSnapshot(venue)));
    const tooBig = await om.place(buy('149', '6'));
    expect(tooBig).toMatchObject({ ok: false, reason: 'risk-limit' });
    if (tooBig.ok) throw new Error('unreachable');
    expect(tooBig.message).toContain('position');
    expect((await om.place(buy('149', '5'))).ok).toBe(true);
    expect((await om.place(buy('148', '0.1'))).ok).toBe(false); // 5.1 would exceed the position limit
    expect((await om.place(sell('151', '1'))).ok).toBe(true);
    expect(await om.place(sell('152', '1'))).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(engine.openOrdersList({ subAccount: SUB })).toHaveLength(2);
  });

  it('fails closed when a check throws', async () => {
    const om = await startManager();
    om.addPreTradeCheck(() => {
      throw new Error('snapshot unavailable');
    });
    const r = await om.place(buy('149', '1'));
    expect(r).toMatchObject({ ok: false, reason: 'risk-limit' });
    if (r.ok) throw new Error('unreachable');
    expect(r.message).toContain('snapshot unavailable');
    expect(engine.openOrdersList({ subAccount: SUB })).toEqual([]);
  });

  it('rate-limits orders per bot with a token bucket', async () => {
    let now = 0;
    const om = await startManager({ rateLimit: { burst: 2, perSecond: 1 }, now: () => now });
    expect((await om.place(buy('149', '1'))).ok).toBe(true);
    expect((await om.place(buy('148', '1'))).ok).toBe(true);
    expect(await om.place(buy('147', '1'))).toMatchObject({ ok: false, reason: 'rate-limited' });
    now += 1000;
    expect((await om.place(buy('147', '1'))).ok).toBe(true);
    expect(om.counters().rejected).toEqual({ 'rate-limited': 1 });
    expect(engine.openOrdersList({ subAccount: SUB })).toHaveLength(3);
  });

  it('halted refuses everything and cancels open orders; reducing lets only reducing orders pass', async () => {
    const om = await startManager();
    // Build a 2 SOL long on the bot's sub-account.
    engine.place(COUNTERPARTY, sell('150', '2'));
    expect((await om.place(buy('150', '2'))).ok).toBe(true);
    expect((await om.place(buy('140', '1'))).ok).toBe(true);

    om.setTradingState('halted', 'daily loss limit');
    expect(await om.place(sell('160', '1'))).toMatchObject({ ok: false, reason: 'halted' });
    await expect.poll(() => engine.openOrdersList({ subAccount: SUB }).length).toBe(0);

    om.setTradingState('reducing', 'leverage');
    expect(await om.place(buy('140', '1'))).toMatchObject({ ok: false, reason: 'risk-limit' });
    expect(await om.place(sell('160', '3'))).toMatchObject({ ok: false, reason: 'risk-limit' });
    const reducing = await om.place(sell('160', '1'));
    expect(reducing).toMatchObject({ ok: true, order: { reduceOnly: true } });
    om.setTradingState('active', 'reset');
    expect((await om.place(buy('140', '1'))).ok).toBe(true);
  });
});

describe('the injected clock', () => {
  it("stamps orders and the journal's events with it, not the wall clock", async () => {
    // Years from the wall clock: a stamp taken from Date.now() cannot pass for one from this clock.
    let now = Date.UTC(2031, 0, 1);
    const placedAt = now;
    const om = await startManager({ now: () => now });
    const placed = await om.place(buy('140', '1'));
    if (!placed.ok) throw new Error(placed.message);
    const id = placed.order.clientOrderId;
    expect(placed.order).toMatchObject({ status: 'open', createdAt: placedAt, updatedAt: placedAt });

    now += 5_000;
    expect(await om.cancel(id)).toBe(true);
    const cancelled = om.get(id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      createdAt: placedAt,
      updatedAt: placedAt + 5_000,
    });
    // The order's age as a reader of the journal computes it, from the same clock.
    expect(cancelled!.updatedAt - cancelled!.createdAt).toBe(5_000);
    const events = om.journal.eventsFor(id);
    expect(events.map((e) => e.kind)).toContain('intent');
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) expect([placedAt, placedAt + 5_000]).toContain(event.at);
  });
});

describe('trading state from the app lifecycle', () => {
  it('follows a lifecycle-style source (halt, then resume)', async () => {
    const om = await startManager();
    const listeners: Array<(state: 'active' | 'reducing' | 'halted', reason: string) => void> = [];
    const source = {
      tradingState: 'active' as const,
      onTradingState(fn: (state: 'active' | 'reducing' | 'halted', reason: string) => void) {
        listeners.push(fn);
        return () => listeners.splice(listeners.indexOf(fn), 1);
      },
    };
    om.followTradingState(source);
    for (const fn of listeners) fn('halted', 'orchestrator: risk halt');
    expect(om.tradingState).toBe('halted');
    expect(await om.place(buy('149', '1'))).toMatchObject({ ok: false, reason: 'halted' });
    for (const fn of listeners) fn('active', 'operator reset');
    expect((await om.place(buy('149', '1'))).ok).toBe(true);
    expect(logs.some((l) => l.msg === 'trading state changed' && l.fields.to === 'halted')).toBe(true);
  });
});

describe('unconfirmed placements', () => {
  it('expires a placement the venue never answers and never re-sends it', async () => {
    const inner = venue;
    const hanging = Object.create(inner, { placeOrder: { value: () => new Promise(() => {}) } });
    venue = hanging;
    const om = await startManager({ placeTimeoutMs: 50 });
    venue = inner;
    const r = await om.place(buy('149', '1'));
    expect(r).toMatchObject({ ok: false, reason: 'unconfirmed', order: { status: 'expired' } });
    expect(engine.history().filter((h) => h.kind === 'order-accepted')).toHaveLength(0);
    expect(om.liveOrders()).toEqual([]);
  });

  it('cancels at the venue an order that lands after it was declared expired', async () => {
    const inner = venue;
    let release: () => void = () => {};
    const slow = Object.create(inner, {
      placeOrder: {
        value: (request: Parameters<SimVenue['placeOrder']>[0]) =>
          new Promise((resolve) => {
            release = () => resolve(inner.placeOrder(request));
          }),
      },
    });
    venue = slow;
    const om = await startManager({ placeTimeoutMs: 50 });
    venue = inner;
    const r = await om.place(buy('149', '1'));
    expect(r).toMatchObject({ ok: false, reason: 'unconfirmed' });
    release();
    await expect.poll(() => engine.history().filter((h) => h.kind === 'order-accepted').length).toBe(1);
    await expect.poll(() => engine.openOrdersList({ subAccount: SUB }).length).toBe(0);
    expect(logs.some((l) => l.msg === 'venue opened an order already given up on: cancelling it')).toBe(true);
  });

  it('an unreachable venue while reconciling is a WARN (the reconnect settles it), anything else an ERROR', async () => {
    const inner = venue;
    let failure: Error | undefined; // none while the manager starts (its first reconcile)
    const down = Object.create(inner, {
      placeOrder: { value: () => new Promise(() => {}) },
      getOpenOrders: {
        value: (q: Parameters<SimVenue['getOpenOrders']>[0]) =>
          failure ? Promise.reject(failure) : inner.getOpenOrders(q),
      },
    });
    venue = down;
    const om = await startManager({ placeTimeoutMs: 50 });
    venue = inner;
    failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(await om.place(buy('149', '1'))).toMatchObject({ ok: false, reason: 'unconfirmed' });
    failure = new Error('account decode failed');
    expect(await om.place(buy('148', '1'))).toMatchObject({ ok: false, reason: 'unconfirmed' });
    const failed = logs.filter((l) => l.msg.startsWith('reconciling an unconfirmed order failed'));
    expect(failed.map((l) => l.level)).toEqual(['warn', 'error']);
  });
});

describe('JIT fills of taker orders', () => {
  it('fills a taker auction through the journal, and never fills the same taker order twice', async () => {
    const om = await startManager();
    engine.place(COUNTERPARTY, { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: base('1') });
    const taker = engine.activeTakerOrders('SOL-PERP')[0];
    if (!taker) throw new Error('the simulator opened no auction');
    const filled = await om.fillTaker(taker, { price: taker.auction.startPrice, baseAmount: base('1') });
    expect(filled).toMatchObject({
      ok: true,
      order: { status: 'filled', side: 'sell', filledBase: base('1') },
    });
    if (!filled.ok) throw new Error('unreachable');
    expect(filled.order.clientOrderId).toBe(`${BOT}-taker-${taker.uuid}`);
    expect(om.journal.fillsFor(filled.order)).toHaveLength(1);
    expect(
      events.some((e) => e.type === 'fill' && e.order.clientOrderId === filled.order.clientOrderId),
    ).toBe(true);

    const again = await om.fillTaker(taker, { price: taker.auction.startPrice, baseAmount: base('1') });
    expect(again).toMatchObject({ ok: false, reason: 'duplicate-client-id' });
    expect(engine.fills({ subAccount: SUB })).toHaveLength(1);
  });

  it('passes taker fills through the trading state', async () => {
    const om = await startManager();
    engine.place(COUNTERPARTY, { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: base('1') });
    const taker = engine.activeTakerOrders('SOL-PERP')[0];
    if (!taker) throw new Error('the simulator opened no auction');
    om.setTradingState('halted', 'test');
    expect(
      await om.fillTaker(taker, { price: taker.auction.startPrice, baseAmount: base('1') }),
    ).toMatchObject({
      ok: false,
      reason: 'halted',
    });
    expect(engine.fills({ subAccount: SUB })).toHaveLength(0);
  });
});

describe('an order that left the venue with an unreadable outcome', () => {
  /**
   * A resting bid through a manager; then it leaves the venue's book behind the manager's back
   * and the venue says it cannot read how (Drift: its fill transaction unreadable, the position
   * change ambiguous).
   */
  async function leftWithUnknownOutcome() {
    const inner = venue;
    const injected = withInjectedEvents(inner);
    venue = injected.venue as SimVenue;
    const om = await startManager({ placeTimeoutMs: 200 });
    venue = inner;
    const placed = await om.place(buy('149', '1'));
    if (!placed.ok) throw new Error(placed.message);
    const [venueOrder] = await inner.getOpenOrders();
    if (!venueOrder) throw new Error('the order is not open at the venue');
    injected.mute(true);
    await inner.cancelOrder(venueOrder.orderId);
    injected.inject({ type: 'order', order: { ...venueOrder, reason: 'outcome-unknown' } });
    return { om, injected, venueOrder, id: placed.order.clientOrderId };
  }

  it('is never cancelled on absence: kept live, reconciled, settled by the fills the venue shows', async () => {
    const { om, injected, venueOrder, id } = await leftWithUnknownOutcome();
    await om.reconcile();
    await new Promise((r) => setTimeout(r, 500)); // two rounds of the unknown-outcome reconciliation

    expect(om.get(id)?.status).toBe('open');
    expect(transitions(id)).toEqual(['new->open']);
    expect(om.journal.eventsFor(id).map((e) => e.kind)).toContain('outcome-unknown');
    expect(logs.find((l) => l.msg === 'order outcome unknown: reconciling')?.fields).toMatchObject({
      clientOrderId: id,
    });

    // The venue shows the fill after all: the order ends filled.
    injected.inject({
      type: 'fill',
      fill: {
        fillId: 'SOL-PERP:1:m',
        orderId: venueOrder.orderId,
        clientOrderId: id,
        subAccount: SUB,
        market: 'SOL-PERP',
        side: 'buy',
        price: venueOrder.price ?? 0n,
        baseAmount: base('1'),
        quoteAmount: 149_000_000n,
        fee: 0n,
        liquidity: 'maker',
        ts: venueOrder.updatedAt,
      },
    });
    expect(om.get(id)?.status).toBe('filled');
    expect(transitions(id)).toEqual(['new->open', 'open->filled']);
  });

  it('stays so across a restart: the new manager does not call it cancelled either', async () => {
    const { om, id } = await leftWithUnknownOutcome();
    await om.stop({ cancel: false });
    managers = managers.filter((m) => m !== om);

    const restarted = await startManager();
    expect(restarted.get(id)?.status).toBe('open');
    expect(restarted.journal.get(id)?.status).toBe('open');
  });
});

describe('ambiguous venue errors', () => {
  it('keeps an order the venue placed although it answered with an error (no blind retry)', async () => {
    const inner = venue;
    const ambiguous = Object.create(inner, {
      placeOrder: {
        value: async (request: Parameters<SimVenue['placeOrder']>[0]) => {
          await inner.placeOrder(request); // landed...
          return { ok: false, reason: 'venue-error', message: 'confirmation timed out' }; // ...but unconfirmed
        },
      },
    });
    venue = ambiguous;
    const om = await startManager();
    venue = inner;
    const r = await om.place(buy('149', '1'));
    expect(r).toMatchObject({ ok: true, order: { status: 'open' } });
    expect(engine.history().filter((h) => h.kind === 'order-accepted')).toHaveLength(1);
    expect(om.liveOrders()).toHaveLength(1);
  });
});

describe('shutdown', () => {
  it('stop() cancels every open order and refuses new ones', async () => {
    const om = await startManager();
    await om.place(buy('149', '1'));
    await om.place(sell('151', '1'));
    await om.stop();
    expect(engine.openOrdersList({ subAccount: SUB })).toEqual([]);
    expect(await om.place(buy('149', '1'))).toMatchObject({ ok: false, reason: 'halted' });
    managers = [];
  });
});
