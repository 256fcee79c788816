/**
 * What order-management adds to a placement: place() through the manager (checks, rate limit
 * off, journal intent + ack in SQLite) against the same resting limit order sent straight to the
 * embedded SimVenue, in the same run. Journal with synchronous=FULL (default) and NORMAL.
 * Run: pnpm --filter order-management bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMarket, type OrderRequest, parsePrice, type Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { SimEngine, SimVenue } from '@drift/sim';
import { type JournalSync, OrderManager } from '../src/index.js';

const N = 2_000;
const WARMUP = 200;
const silent: LoggerLike = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };
const spec = findMarket('SOL-PERP');
if (!spec) throw new Error('SOL-PERP missing');

async function freshVenue(): Promise<SimVenue> {
  const engine = new SimEngine({
    seed: 1,
    markets: [{ spec: spec!, startPrice: parsePrice('150'), volatilityBps: 0 }],
  });
  const venue = SimVenue.embedded(engine, 1);
  await venue.connect();
  return venue;
}

const request = (i: number): OrderRequest => ({
  market: 'SOL-PERP',
  side: 'buy',
  type: 'limit',
  price: parsePrice(String(100 + (i % 40))),
  baseAmount: 1_000_000_000n,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(
  label: string,
  place: (i: number) => Promise<unknown>,
  after: (i: number) => Promise<void>,
) {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const start = process.hrtime.bigint();
    await place(i);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e3;
    if (i >= WARMUP) times.push(elapsed);
    await after(i);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((s, t) => s + t, 0);
  return {
    label,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    perSec: Math.round((N * 1e6) / total),
  };
}

/** Cancels resting orders now and then so the book and the user order ids never fill up. */
function recycle(venue: Venue, manager?: OrderManager) {
  return async (i: number) => {
    if (i % 100 !== 99) return;
    if (manager) await manager.cancelAll();
    else await venue.cancelAllOrders({ subAccount: 1 });
  };
}

const results = [];
{
  const venue = await freshVenue();
  results.push(
    await measure('baseline: SimVenue.placeOrder', (i) => venue.placeOrder(request(i)), recycle(venue)),
  );
  await venue.close();
}
for (const sync of ['full', 'normal'] as JournalSync[]) {
  const dir = mkdtempSync(join(tmpdir(), 'om-bench-'));
  const venue = await freshVenue();
  const manager = new OrderManager({
    bot: 'bench',
    venue,
    journal: join(dir, 'bench.orders.sqlite'),
    journalSync: sync,
    logger: silent,
    rateLimit: false,
  });
  await manager.start();
  results.push(
    await measure(
      `OrderManager.place, journal ${sync}`,
      (i) => manager.place(request(i)),
      recycle(venue, manager),
    ),
  );
  await manager.stop({ cancel: false });
  await venue.close();
  rmSync(dir, { recursive: true, force: true });
}

const base = results[0]!;
const rows = results.map((r) => [
  r.label,
  r.p50.toFixed(1),
  r.p99.toFixed(1),
  String(r.perSec),
  `+${(r.p50 - base.p50).toFixed(1)}`,
]);
const header = ['placement (resting limit, embedded sim)', 'p50 µs', 'p99 µs', 'orders/s', 'p50 added µs'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(
  [
    `${N} placements each (after ${WARMUP} warm-up), node ${process.version}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n') + '\n',
);
