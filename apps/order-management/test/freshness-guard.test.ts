import { join } from 'node:path';
import type { SimEngine, SimVenue } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FreshnessGuard, OrderManager } from '../src/index.js';
import { buy, flatEngine, type LogLine, recordingLogger, simVenue, tempDir } from './helpers.js';

// Venue ms: 0.5 s of wall time at the engine's 10x, so a loaded machine's pauses do not trip it.
const BOUND_MS = 5_000;

let tmp: ReturnType<typeof tempDir>;
let engine: SimEngine;
let venue: SimVenue;
let manager: OrderManager;
let guard: FreshnessGuard;
let logs: LogLine[];

beforeEach(async () => {
  tmp = tempDir();
  engine = flatEngine();
  // 10x: a slot every 40 ms of wall time, so the bound (venue time) trips in ~0.5 s of a stall.
  engine.startRealtime(10);
  venue = await simVenue(engine, 1);
  logs = [];
  const logger = recordingLogger(logs);
  manager = new OrderManager({
    bot: 'test-bot',
    venue,
    journal: join(tmp.dir, 'bot.orders.sqlite'),
    logger,
    rateLimit: false,
  });
  await manager.start();
  guard = new FreshnessGuard({ venue, orders: manager, markets: ['SOL-PERP'], maxAgeMs: BOUND_MS, logger });
  await guard.start();
});

afterEach(async () => {
  guard.stop();
  await manager.stop({ cancel: false });
  engine.stopRealtime();
  await venue.close();
  tmp.cleanup();
});

async function until(what: string, test: () => boolean, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  while (!test()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

const lines = (msg: string) => logs.filter((l) => l.msg.startsWith(msg));

describe('freshness guard on a stalled oracle', () => {
  it('stops adding risk past the bound, cancels resting orders, says so once, resumes after', async () => {
    const resting = await manager.place(buy('140', '1'));
    expect(resting.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(guard.stale).toBe(false);
    expect(guard.report().dataAgeMs['oracle:SOL-PERP']).toBeLessThanOrEqual(BOUND_MS);

    engine.stallOracles(['SOL-PERP']);
    const staleAfterMs = await until('stale', () => guard.stale);
    const report = guard.report();
    expect(report.staleSources).toEqual(['oracle:SOL-PERP']);
    expect(report.dataAgeMs['oracle:SOL-PERP']).toBeGreaterThan(BOUND_MS);
    await until('resting order cancelled', () => engine.openOrdersList({ subAccount: 1 }).length === 0);
    const refused = await manager.place(buy('141', '1'));
    expect(refused).toMatchObject({ ok: false, reason: 'risk-limit' });
    if (!refused.ok) expect(refused.message).toMatch(/data is stale \(oracle:SOL-PERP \d+ ms old\)/);
    await new Promise((r) => setTimeout(r, 300)); // more checks while stale: no more lines
    expect(lines('data stale').map((l) => l.level)).toEqual(['error']);

    engine.resumeOracles();
    await until('fresh again', () => !guard.stale);
    expect(lines('data fresh again').map((l) => l.level)).toEqual(['warn']);
    expect((await manager.place(buy('141', '1'))).ok).toBe(true);
    // Within the bound (0.5 s of wall time at 10x) plus a check or two, with room for a busy machine.
    expect(staleAfterMs).toBeLessThan(BOUND_MS / 10 + 2_000);
  });
});

describe('freshness guard on an unconfirmed account view', () => {
  it('stops adding risk when the venue can no longer confirm the account, resumes after', async () => {
    // The venue's account view stops being confirmed (live: a stalled subscription on a node that
    // no longer answers reads); everything else stays fresh.
    let frozen: { slot: number; ts: number } | undefined;
    const accountGuard = new FreshnessGuard({
      venue: {
        clock: () => venue.clock(),
        getOraclePrice: (market) => venue.getOraclePrice(market),
        subscribe: (listener) => venue.subscribe(listener),
        accountAsOf: async () => frozen ?? venue.accountAsOf(),
      },
      orders: manager,
      markets: ['SOL-PERP'],
      maxAgeMs: BOUND_MS,
      logger: recordingLogger(logs),
    });
    await accountGuard.start();
    try {
      expect((await manager.place(buy('140', '1'))).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(accountGuard.stale).toBe(false);

      frozen = await venue.accountAsOf();
      await until('stale', () => accountGuard.stale);
      expect(accountGuard.report().staleSources).toEqual(['account']);
      await until('resting order cancelled', () => engine.openOrdersList({ subAccount: 1 }).length === 0);
      const refused = await manager.place(buy('141', '1'));
      if (refused.ok) throw new Error('an order went out on an unconfirmed account view');
      expect(refused.message).toMatch(/data is stale \(account \d+ ms old\)/);

      frozen = undefined;
      await until('fresh again', () => !accountGuard.stale);
      expect((await manager.place(buy('141', '1'))).ok).toBe(true);
    } finally {
      accountGuard.stop();
    }
  });
});
