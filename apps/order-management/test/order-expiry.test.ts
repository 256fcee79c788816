/**
 * Quotes die with their bot: an order placed through the manager carries the configured expiry,
 * a live manager keeps its resting orders alive past many expiries, and an order it no longer
 * refreshes leaves the simulator's book as `expired`, with the reason the owner sees.
 */
import { join } from 'node:path';
import type { SimEngine, SimVenue } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderManager, type OrderManagerEvent } from '../src/index.js';
import { buy, flatEngine, type LogLine, recordingLogger, sell, simVenue, tempDir } from './helpers.js';

const SUB = 1;
const EXPIRY_MS = 10_000;
/** Venue ms per wall ms: the 10 s expiry passes in a second (half of it is the margin under load). */
const SPEED = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: ReturnType<typeof tempDir>;
let engine: SimEngine;
let venue: SimVenue;
let manager: OrderManager;
let events: OrderManagerEvent[];
let logs: LogLine[];

beforeEach(async () => {
  tmp = tempDir();
  engine = flatEngine();
  venue = await simVenue(engine, SUB);
  events = [];
  logs = [];
  manager = new OrderManager({
    bot: 'quoter',
    venue,
    journal: join(tmp.dir, 'quoter.orders.sqlite'),
    logger: recordingLogger(logs),
    rateLimit: false,
    cancelOnHalt: false,
    orderExpiryMs: EXPIRY_MS,
  });
  manager.subscribe((e) => events.push(e));
  await manager.start();
});

afterEach(async () => {
  engine.stopRealtime();
  await manager.stop({ cancel: false });
  await venue.close();
  tmp.cleanup();
});

describe('order expiry', () => {
  it('stamps every placed order with venue time + the bound, IOC and market orders too', async () => {
    const t0 = engine.clock().ts;
    const resting = await manager.place(buy('149', '1'));
    const ioc = await manager.place({ ...sell('151', '1'), ioc: true });
    if (!resting.ok || !ioc.ok) throw new Error('placement failed');
    const [onBook] = engine.openOrdersList({ subAccount: SUB });
    expect(onBook?.maxTs).toBe(t0 + EXPIRY_MS);
    const accepted = engine.history().filter((h) => h.kind === 'order-accepted');
    expect(accepted.map((h) => h.kind === 'order-accepted' && h.order.maxTs)).toEqual([
      t0 + EXPIRY_MS,
      t0 + EXPIRY_MS,
    ]);
  });

  it('a live manager refreshes its resting orders: they outlive many expiries, same order, journaled', async () => {
    engine.startRealtime(SPEED); // a venue clock runs all along, as a real one does
    const placed = await manager.place(buy('149', '1'));
    if (!placed.ok) throw new Error('placement failed');
    const t0 = engine.clock().ts;
    await sleep((4 * EXPIRY_MS) / SPEED);
    engine.stopRealtime();
    const elapsed = engine.clock().ts - t0;
    expect(elapsed).toBeGreaterThan(3 * EXPIRY_MS);
    const open = engine.openOrdersList({ subAccount: SUB });
    expect(open.map((o) => o.orderId)).toEqual([placed.order.orderId]);
    // still ahead of the venue clock (how far depends on when the last check ran: loaded machines lag)
    expect(open[0]!.maxTs).toBeGreaterThan(engine.clock().ts);
    expect(manager.get(placed.order.clientOrderId)?.status).toBe('open');
    const refreshes = manager.journal
      .eventsFor(placed.order.clientOrderId)
      .filter((e) => e.kind === 'expiry-refreshed');
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(engine.history().some((h) => h.kind === 'order-updated' && h.cause === 'expire')).toBe(false);
  });

  it('an order no longer refreshed (halted) leaves the book as expired, reason order-expired', async () => {
    const placed = await manager.place(buy('149', '1'));
    if (!placed.ok) throw new Error('placement failed');
    manager.setTradingState('halted', 'test: stop extending');
    engine.startRealtime(SPEED);
    await sleep((2 * EXPIRY_MS) / SPEED);
    engine.stopRealtime();
    expect(engine.openOrdersList({ subAccount: SUB })).toEqual([]);
    // Nothing fills it once expired: a crossing seller finds an empty bid side.
    const taker = engine.place(2, sell('140', '1'));
    expect(taker.ok && taker.fills).toEqual([]);
    const expired = manager.get(placed.order.clientOrderId);
    expect(expired).toMatchObject({ status: 'expired', reason: expect.stringMatching(/^order-expired: /) });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'state',
        to: 'expired',
        reason: expect.stringMatching(/^order-expired/),
      }),
    );
    expect(manager.journal.get(placed.order.clientOrderId)?.status).toBe('expired');
    expect(manager.counters().expired).toBe(1);
  });

  it('refuses an expiry bound outside 10 s..1 h, naming the option', () => {
    const make = (orderExpiryMs: number) =>
      new OrderManager({
        bot: 'x',
        venue,
        journal: join(tmp.dir, 'x.sqlite'),
        logger: recordingLogger([]),
        orderExpiryMs,
      });
    expect(() => make(1_000)).toThrow('orderExpiryMs: 1000 is not between 10000 and 3600000 ms');
  });
});
