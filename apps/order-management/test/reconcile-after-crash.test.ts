/**
 * A bot crashes (its venue connection and journal handle simply vanish, as with SIGKILL), the
 * simulator keeps trading, and a new OrderManager on the same SQLite journal reconciles.
 * Real journal file, real SimVenue; the only doubles are venues whose placeOrder never returns,
 * which is how a crash between "send" and "ack" looks from inside the process.
 */
import { join } from 'node:path';
import type { OrderRequest, PlaceResult } from '@drift/domain';
import type { SimEngine, SimVenue } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, OrderManager } from '../src/index.js';
import { base, buy, flatEngine, type LogLine, recordingLogger, sell, simVenue, tempDir } from './helpers.js';

const BOT = 'crash-bot';
const SUB = 1;
const OTHER = 2;

let tmp: ReturnType<typeof tempDir>;
let engine: SimEngine;
let journalPath: string;
let logs: LogLine[];
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(() => {
  tmp = tempDir();
  engine = flatEngine();
  journalPath = join(tmp.dir, `${BOT}.orders.sqlite`);
  logs = [];
});

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  tmp.cleanup();
});

type PlaceOverride = (inner: SimVenue, request: OrderRequest) => Promise<PlaceResult>;

/** A bot process: its own venue connection and journal handle on the shared engine and file. */
async function bootBot(place?: PlaceOverride, options: { userOrderIds?: { min: number; max: number } } = {}) {
  const inner = await simVenue(engine, SUB);
  const venue: SimVenue = place
    ? Object.create(inner, { placeOrder: { value: (r: OrderRequest) => place(inner, r) } })
    : inner;
  const manager = new OrderManager({
    bot: BOT,
    venue,
    journal: journalPath,
    logger: recordingLogger(logs),
    rateLimit: false,
    placeTimeoutMs: 60_000,
    ...options,
  });
  const summary = await manager.start();
  let crashed = false;
  const crash = async () => {
    if (crashed) return;
    crashed = true;
    await inner.close();
    manager.journal.close();
  };
  cleanups.push(crash);
  return { manager, summary, crash };
}

const accepted = () => engine.history().filter((h) => h.kind === 'order-accepted');
const never = () => new Promise<PlaceResult>(() => {});

describe('reconciliation after a crash', () => {
  it('journal says open, venue says filled -> filled, with the fill journaled', async () => {
    const first = await bootBot();
    const r = await first.manager.place(buy('149', '2'));
    if (!r.ok) throw new Error(r.message);
    await first.crash();
    engine.place(OTHER, sell('149', '2'));

    const second = await bootBot();
    const id = r.order.clientOrderId;
    expect(second.summary.resolved).toEqual({ [id]: 'filled' });
    expect(second.manager.get(id)).toMatchObject({ status: 'filled', filledBase: base('2') });
    expect(second.manager.journal.fillsFor(r.order).map((f) => f.baseAmount)).toEqual([base('2')]);
  });

  it('journal says open, venue cancelled it meanwhile -> cancelled', async () => {
    const first = await bootBot();
    const r = await first.manager.place(buy('149', '1'));
    if (!r.ok) throw new Error(r.message);
    await first.crash();
    engine.cancelAll({ subAccount: SUB });
    const second = await bootBot();
    expect(second.manager.get(r.order.clientOrderId)).toMatchObject({
      status: 'cancelled',
      reason: 'no longer open at venue',
    });
  });

  it('partially filled while down -> partially-filled with the missing fill, then follows live', async () => {
    const first = await bootBot();
    const r = await first.manager.place(buy('149', '3'));
    if (!r.ok) throw new Error(r.message);
    await first.crash();
    engine.place(OTHER, sell('149', '1'));

    const second = await bootBot();
    const id = r.order.clientOrderId;
    expect(second.manager.get(id)).toMatchObject({ status: 'partially-filled', filledBase: base('1') });
    engine.place(OTHER, sell('149', '2'));
    expect(second.manager.get(id)).toMatchObject({ status: 'filled', filledBase: base('3') });
    expect(second.manager.journal.fillsFor(r.order)).toHaveLength(2);
  });

  it('the intent is committed to the journal file before the venue is called', async () => {
    const seenByVenue: Array<string | undefined> = [];
    const bot = await bootBot((inner, request) => {
      // Another connection (as a restarted process would) reads the file at the moment of sending.
      const reader = new Journal(journalPath, { readonly: true });
      seenByVenue.push(reader.get(request.clientOrderId ?? '')?.status);
      reader.close();
      return inner.placeOrder(request);
    });
    const r = await bot.manager.place({ ...buy('149', '1'), clientOrderId: 'intent-0' });
    expect(r.ok).toBe(true);
    expect(seenByVenue).toEqual(['new']);
  });

  it('intent journaled, crash before the venue got it -> expired, never re-sent', async () => {
    const first = await bootBot(() => never());
    void first.manager.place({ ...buy('149', '1'), clientOrderId: 'intent-1' });
    await expect.poll(() => first.manager.get('intent-1')?.status).toBe('new');
    await first.crash();

    const second = await bootBot();
    expect(second.manager.get('intent-1')).toMatchObject({ status: 'expired' });
    expect(second.manager.get('intent-1')?.reason).toContain('not re-sent');
    expect(accepted()).toHaveLength(0);
    // The bot retrying the same intent is refused, not duplicated.
    expect(await second.manager.place({ ...buy('149', '1'), clientOrderId: 'intent-1' })).toMatchObject({
      ok: false,
      reason: 'duplicate-client-id',
    });
    expect(accepted()).toHaveLength(0);
  });

  it('intent sent, crash before the ack -> the venue order is adopted (open), not placed again', async () => {
    const first = await bootBot((inner, request) => {
      void inner.placeOrder(request);
      return never();
    });
    void first.manager.place({ ...buy('149', '1'), clientOrderId: 'intent-2' });
    await expect.poll(() => accepted().length).toBe(1);
    await first.crash();

    const second = await bootBot();
    const venueOrder = engine.openOrdersList({ subAccount: SUB })[0];
    expect(second.manager.get('intent-2')).toMatchObject({ status: 'open', orderId: venueOrder?.orderId });
    engine.place(OTHER, sell('149', '1'));
    expect(second.manager.get('intent-2')?.status).toBe('filled');
    expect(accepted().filter((h) => h.kind === 'order-accepted' && h.order.subAccount === SUB)).toHaveLength(
      1,
    );
  });

  it('intent sent and filled at once, crash before the ack -> filled from the venue fills', async () => {
    engine.place(OTHER, sell('150', '1'));
    const first = await bootBot((inner, request) => {
      void inner.placeOrder(request);
      return never();
    });
    void first.manager.place({ ...buy('150', '1'), clientOrderId: 'intent-3' });
    await expect.poll(() => engine.fills({ subAccount: SUB }).length).toBe(1);
    await first.crash();

    const second = await bootBot();
    expect(second.manager.get('intent-3')).toMatchObject({ status: 'filled', filledBase: base('1') });
    expect(second.manager.journal.fillsFor({ clientOrderId: 'intent-3', subAccount: SUB })).toHaveLength(1);
  });

  it('an open venue order in the bot id range the journal does not know is cancelled; others are left alone', async () => {
    const ours = engine.place(SUB, { ...buy('140', '1'), userOrderId: 9 });
    const foreign = engine.place(SUB, { ...buy('141', '1'), userOrderId: 200 });
    const manual = engine.place(SUB, buy('142', '1'));
    if (!ours.ok || !foreign.ok || !manual.ok) throw new Error('setup placement failed');

    const bot = await bootBot(undefined, { userOrderIds: { min: 1, max: 100 } });
    expect(bot.summary.unknownCancelled).toEqual([ours.order.orderId]);
    const open = engine.openOrdersList({ subAccount: SUB }).map((o) => o.orderId);
    expect(open.sort()).toEqual([foreign.order.orderId, manual.order.orderId].sort());
    const row = bot.manager.journal.allOrders().find((o) => o.orderId === ours.order.orderId);
    expect(row).toMatchObject({ status: 'cancelled', userOrderId: 9 });
    expect(bot.manager.counters().unknownCancelled).toBe(1);
    expect(
      logs.some(
        (l) => l.msg === 'unknown venue order: cancelling' && l.fields.orderId === ours.order.orderId,
      ),
    ).toBe(true);
  });

  it('keeps the user order ids of recovered live orders out of the free pool', async () => {
    const first = await bootBot(undefined, { userOrderIds: { min: 1, max: 2 } });
    const a = await first.manager.place(buy('149', '1'));
    if (!a.ok) throw new Error(a.message);
    await first.crash();
    const second = await bootBot(undefined, { userOrderIds: { min: 1, max: 2 } });
    const b = await second.manager.place(buy('148', '1'));
    expect(b).toMatchObject({ ok: true, order: { userOrderId: 2 } });
    expect(await second.manager.place(buy('147', '1'))).toMatchObject({
      ok: false,
      reason: 'user-order-ids-exhausted',
    });
  });
});
