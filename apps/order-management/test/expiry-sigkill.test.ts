/**
 * Quotes die with their bot, in real processes: a bot resting bids on the sim server keeps them
 * alive past several expiries, is SIGKILLed (no cancel, no goodbye) and not restarted; within the
 * expiry bound of venue time every one of its orders has left the book, and none was filled after
 * its maxTs. The simulator's own history is the witness.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type SimServer, startSimServer } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flatEngine, sell, tempDir } from './helpers.js';

const PKG = join(import.meta.dirname, '..');
const QUOTES = 5;
const EXPIRY_MS = 10_000;
/** Venue ms per wall ms: an expiry passes in a wall second. */
const SPEED = 10;
const SLOT_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: ReturnType<typeof tempDir>;
let server: SimServer;
let child: ChildProcess | undefined;

beforeEach(async () => {
  tmp = tempDir();
  server = await startSimServer({ port: 0, engine: flatEngine() });
});

afterEach(async () => {
  server.engine.stopRealtime();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server.close();
  tmp.cleanup();
});

function startQuoter(): Promise<string[]> {
  const args = [join(tmp.dir, 'quoter.orders.sqlite'), String(QUOTES), String(EXPIRY_MS)];
  child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'test/fixtures/quoter.ts', server.url, ...args],
    { cwd: PKG, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const proc = child;
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`quoter exited (${code}) before its quotes rested`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      const line = JSON.parse(text) as { event: string; orderIds: string[] };
      if (line.event === 'resting') resolve(line.orderIds);
    });
  });
}

describe('a bot SIGKILLed with resting orders, not restarted', () => {
  it('keeps its quotes while alive; none rests past the expiry bound after the kill, none filled', async () => {
    const { engine } = server;
    engine.startRealtime(SPEED); // a venue clock runs all along, as a real one does
    const orderIds = await startQuoter();
    expect(orderIds).toHaveLength(QUOTES);
    await sleep((3 * EXPIRY_MS) / SPEED);
    // Alive: three expiries later every quote still rests, refreshed by the bot.
    expect(
      engine
        .openOrdersList({ subAccount: 1 })
        .map((o) => o.orderId)
        .sort(),
    ).toEqual([...orderIds].sort());

    const killedAt = engine.clock().ts;
    child?.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    while (engine.clock().ts <= killedAt + EXPIRY_MS + SLOT_MS) await sleep(50);
    engine.stopRealtime();

    expect(engine.openOrdersList({ subAccount: 1 })).toEqual([]);
    const crossing = engine.place(2, sell('100', '1'));
    expect(crossing.ok && crossing.fills).toEqual([]);
    const history = engine.history();
    const expiredAt = new Map<string, { ts: number; maxTs: number }>();
    for (const h of history)
      if (h.kind === 'order-updated' && h.cause === 'expire' && h.order.subAccount === 1)
        expiredAt.set(h.order.orderId, { ts: h.ts, maxTs: h.order.maxTs ?? Number.NaN });
    expect([...expiredAt.keys()].sort()).toEqual([...orderIds].sort());
    const lapses = [...expiredAt.values()].map((e) => e.ts - killedAt);
    // Gone within the bound (plus the slot that sweeps it), and never before its maxTs.
    for (const e of expiredAt.values()) {
      expect(e.ts - killedAt).toBeLessThanOrEqual(EXPIRY_MS + SLOT_MS);
      expect(e.ts).toBeGreaterThan(e.maxTs);
    }
    const lateFills = history.filter((h) => h.kind === 'fill' && h.fill.subAccount === 1);
    expect(lateFills).toEqual([]);
    process.stdout.write(
      `quotes of a SIGKILLed bot: ${QUOTES} rested, all expired ${Math.min(...lapses)}..${Math.max(...lapses)} ms of venue time after the kill (bound ${EXPIRY_MS} ms)\n`,
    );
  });
});
