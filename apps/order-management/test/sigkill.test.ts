/**
 * A real bot process is SIGKILLed mid-stream; a new process reconciles from the same SQLite
 * journal against the same sim server and finishes the work. The simulator's own history must
 * show every client intent accepted at most once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type SimServer, startSimServer } from '@drift/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../src/index.js';
import { flatEngine, tempDir } from './helpers.js';

const PKG = join(import.meta.dirname, '..');
const COUNT = 40;

let tmp: ReturnType<typeof tempDir>;
let server: SimServer;
const children: ChildProcess[] = [];

beforeEach(async () => {
  tmp = tempDir();
  server = await startSimServer({ port: 0, engine: flatEngine() });
});

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server.close();
  tmp.cleanup();
});

interface Line {
  event: string;
  job?: number;
  ok?: boolean;
  reason?: string;
  resolved?: Record<string, string>;
}

function startPlacer(
  journalPath: string,
  killAfterResults?: number,
): { child: ChildProcess; lines: Line[]; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      'test/fixtures/placer.ts',
      server.url,
      journalPath,
      String(COUNT),
    ],
    { cwd: PKG, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines: Line[] = [];
  let results = 0;
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (line.event === 'result' && ++results === killAfterResults) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

describe('SIGKILL mid-stream, restart on the same journal', () => {
  it('places no order twice and accounts for every intent', async () => {
    const journalPath = join(tmp.dir, 'kill-bot.orders.sqlite');
    const first = startPlacer(journalPath, 10);
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const doneBeforeKill = first.lines.filter((l) => l.event === 'result').length;
    expect(doneBeforeKill).toBeLessThan(COUNT);

    const second = startPlacer(journalPath);
    expect(await second.exited).toBe(0);
    expect(second.lines.at(-1)?.event).toBe('done');

    const accepted = server.engine
      .history()
      .flatMap((h) =>
        h.kind === 'order-accepted' && h.order.subAccount === 1 ? [h.order.clientOrderId] : [],
      );
    // The guarantee: no client intent reached the venue twice.
    expect(new Set(accepted).size).toBe(accepted.length);

    const journal = new Journal(journalPath, { readonly: true });
    try {
      const rows = new Map(journal.allOrders().map((o) => [o.clientOrderId, o]));
      for (let i = 0; i < COUNT; i++) {
        const row = rows.get(`job-${i}`);
        const atVenue = accepted.includes(`job-${i}`);
        // Every intent is journaled, and is open at the venue exactly when the journal says so.
        expect(row, `job-${i} journaled`).toBeDefined();
        if (atVenue) expect(row?.status, `job-${i}`).toBe('open');
        else expect(row?.status, `job-${i}`).toBe('expired');
      }
      const open = server.engine.openOrdersList({ subAccount: 1 });
      expect(open.map((o) => o.clientOrderId).sort()).toEqual(
        [...rows.values()]
          .filter((o) => o.status === 'open')
          .map((o) => o.clientOrderId)
          .sort(),
      );
      // Everything done before the kill was refused as a duplicate after the restart, not re-sent.
      const skipped = second.lines.filter((l) => l.event === 'result' && l.reason === 'duplicate-client-id');
      expect(skipped.length).toBeGreaterThanOrEqual(doneBeforeKill);
    } finally {
      journal.close();
    }
  });
});
