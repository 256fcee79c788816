/**
 * `pnpm --filter @drift/sim bench`: engine throughput and a fast-forwarded hour, each printed beside
 * a baseline measured in the same run on the same machine.
 *  1. order events/s: a seeded mix of limit places (a third of them crossing), cancels, and the
 *     matches they cause, by 8 sub-accounts that each keep at most 50 quotes (a place beyond that
 *     cancels the oldest), through the engine with history on; baseline: a Map insert/delete loop
 *     of the same count.
 *  2. one simulated hour of 5 markets: oracle walk every slot, the signed taker stream (30/min per
 *     market), a maker re-quoting every 10 slots and filling every other taker order; baseline: the
 *     bare PRNG random walk for the same number of market-slots.
 *  3. the same hour with the default field of rival makers racing for every auction; baseline: the
 *     hour of 2 (without rivals), from the same run.
 */

import { DEFAULT_RIVALS } from '../src/competition.js';
import { SimEngine } from '../src/engine.js';
import { Prng } from '../src/prng.js';
import { BTC, ETH, type MarketSpec, parsePrice, SOL } from './markets.js';

const ORDER_EVENTS = 300_000;
const MAX_OPEN = 50;
const HOUR_MS = 3_600_000;

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

interface Op {
  kind: 'place' | 'cancel';
  sub: number;
  side: 'buy' | 'sell';
  ticks: bigint;
  lots: bigint;
}

function orderEvents(): { engineMs: number; baselineMs: number; fills: number; rejects: number } {
  const script = new Prng(1);
  const ops: Op[] = [];
  for (let i = 0; i < ORDER_EVENTS; i++) {
    const side = script.nextFloat() < 0.5 ? 'buy' : 'sell';
    ops.push({
      kind: script.nextFloat() < 0.35 ? 'cancel' : 'place',
      sub: 1 + script.nextInt(8),
      side,
      // -20..+9 ticks of 0.01 from mid, toward the other side: about a third cross.
      ticks: BigInt(script.nextInt(30) - 20),
      lots: BigInt(1 + script.nextInt(20)),
    });
  }
  const engine = new SimEngine({
    seed: 1,
    markets: [{ spec: SOL, startPrice: parsePrice('150'), volatilityBps: 0 }],
    defaultCollateral: 10n ** 15n,
  });
  const mid = parsePrice('150');
  const open: string[][] = Array.from({ length: 9 }, () => []);
  let fills = 0;
  let rejects = 0;
  let placed = 0;
  const engineRun = time(() => {
    for (const op of ops) {
      const mine = open[op.sub]!;
      // Makers keep at most MAX_OPEN quotes: past that a place becomes a cancel of the oldest.
      if ((op.kind === 'cancel' || mine.length >= MAX_OPEN) && mine.length > 0) {
        engine.cancel(mine.shift()!, { subAccount: op.sub });
        continue;
      }
      const offset = op.ticks * 10_000n;
      const price = op.side === 'buy' ? mid + offset : mid - offset;
      const result = engine.place(op.sub, {
        market: 'SOL-PERP',
        side: op.side,
        type: 'limit',
        price,
        baseAmount: op.lots * SOL.minOrderSize,
        clientOrderId: `q-${++placed}`,
      });
      if (!result.ok) {
        rejects++;
        continue;
      }
      fills += result.fills.length;
      if (result.order.status === 'open' || result.order.status === 'partially-filled')
        mine.push(result.order.orderId);
    }
  });
  // Baseline: the same count of keyed inserts and deletes in a plain Map.
  const map = new Map<string, { price: bigint; size: bigint }>();
  const keys: string[] = [];
  const baseline = time(() => {
    let id = 0;
    for (const op of ops) {
      if (op.kind === 'cancel' && keys.length > 0) map.delete(keys.pop()!);
      else {
        const key = String(++id);
        map.set(key, { price: mid + op.ticks, size: op.lots });
        keys.push(key);
      }
    }
  });
  return { engineMs: engineRun.ms, baselineMs: baseline.ms, fills, rejects };
}

const EXTRA_MARKETS: MarketSpec[] = [
  {
    ...ETH,
    symbol: 'APT-PERP',
    marketIndex: 3,
    tickSize: 100n,
    stepSize: 10_000_000n,
    minOrderSize: 10_000_000n,
  },
  {
    ...ETH,
    symbol: 'ARB-PERP',
    marketIndex: 6,
    tickSize: 100n,
    stepSize: 100_000_000n,
    minOrderSize: 100_000_000n,
  },
];

function simulatedHour(rivals = false): {
  ms: number;
  baselineMs: number;
  slots: number;
  takers: number;
  fills: number;
  rivalFills: number;
} {
  const markets = [
    { spec: SOL, startPrice: parsePrice('150'), volatilityBps: 80 },
    { spec: BTC, startPrice: parsePrice('65000'), volatilityBps: 50 },
    { spec: ETH, startPrice: parsePrice('3200'), volatilityBps: 60 },
    { spec: EXTRA_MARKETS[0]!, startPrice: parsePrice('9'), volatilityBps: 100 },
    { spec: EXTRA_MARKETS[1]!, startPrice: parsePrice('1.1'), volatilityBps: 100 },
  ];
  const engine = new SimEngine({
    seed: 42,
    markets,
    takerFlow: { ordersPerMinute: 30 },
    defaultCollateral: 10n ** 15n,
    ...(rivals && { competition: { rivals: [...DEFAULT_RIVALS] } }),
  });
  let takers = 0;
  let fills = 0;
  let every = 0;
  engine.subscribe((event) => {
    if (event.type === 'fill') fills++;
    if (event.type !== 'taker' || event.order.source !== 'swift') return;
    takers++;
    if (every++ % 2 === 0) {
      engine.fillTaker(event.order, {
        price: event.order.auction.startPrice,
        baseAmount: event.order.baseAmount,
        subAccount: 1,
      });
    }
  });
  const slots = HOUR_MS / 400;
  const run = time(() => {
    for (let slot = 0; slot < slots; slot += 10) {
      for (const { spec } of markets) {
        engine.cancelAll({ subAccount: 2, market: spec.symbol });
        const oracle = engine.oracle(spec.symbol).price;
        const edge = (oracle / 1000n / spec.tickSize) * spec.tickSize + spec.tickSize;
        const size = spec.minOrderSize * 10n;
        engine.place(2, {
          market: spec.symbol,
          side: 'buy',
          type: 'limit',
          price: oracle - edge,
          baseAmount: size,
          postOnly: true,
        });
        engine.place(2, {
          market: spec.symbol,
          side: 'sell',
          type: 'limit',
          price: oracle + edge,
          baseAmount: size,
          postOnly: true,
        });
      }
      engine.advanceSlots(10);
    }
  });
  // Baseline: the bare random walk (one normal draw and one bigint step per market-slot).
  const baseline = time(() => {
    const prng = new Prng(42);
    let price = parsePrice('150');
    for (let i = 0; i < slots * markets.length; i++) {
      const move = BigInt(Math.round(prng.normal() * 1e5));
      price += (price * move) / 1_000_000_000n;
    }
    return price;
  });
  const rivalFills = engine.history().filter((e) => e.kind === 'rival-fill').length;
  return { ms: run.ms, baselineMs: baseline.ms, slots, takers, fills, rivalFills };
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
/** Best of `RUNS` fresh runs for each figure: the machine is shared; the best run is the least disturbed. */
const RUNS = 3;
function bestOf<T extends object>(run: () => T, timings: (keyof T)[]): T {
  const runs = Array.from({ length: RUNS }, run);
  const out = { ...runs[0]! };
  for (const key of timings) (out[key] as number) = Math.min(...runs.map((r) => r[key] as number));
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');

const orders = bestOf(orderEvents, ['engineMs', 'baselineMs']);
const hour = bestOf(() => simulatedHour(), ['ms', 'baselineMs']);
const raced = bestOf(() => simulatedHour(true), ['ms', 'baselineMs']);
const rows = [
  ['metric', 'sim', 'baseline (same run)', 'target'],
  [
    `order events/s (${fmt(ORDER_EVENTS)} place/cancel, ${fmt(orders.fills)} fills)`,
    `${fmt(rate(ORDER_EVENTS, orders.engineMs))}/s`,
    `${fmt(rate(ORDER_EVENTS, orders.baselineMs))}/s (Map insert/delete)`,
    '>= 200,000/s',
  ],
  [
    `1 simulated hour, 5 markets (${fmt(hour.slots)} slots, ${fmt(hour.takers)} signed takers, ${fmt(hour.fills)} fills)`,
    `${(hour.ms / 1000).toFixed(2)} s`,
    `${(hour.baselineMs / 1000).toFixed(3)} s (bare PRNG walk)`,
    '< 10 s',
  ],
  [
    `the same hour with the default rival makers (${fmt(raced.rivalFills)} rival fills, ${fmt(raced.fills)} fills)`,
    `${(raced.ms / 1000).toFixed(2)} s`,
    `${(hour.ms / 1000).toFixed(2)} s (the hour without rivals)`,
    '< 10 s',
  ],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
process.stdout.write(
  `${[line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')}\n`,
);
process.stdout.write(
  `node ${process.version}, best of ${RUNS} runs each, history recorded, ${orders.rejects} places rejected\n`,
);
const ok = rate(ORDER_EVENTS, orders.engineMs) >= 200_000 && hour.ms < 10_000 && raced.ms < 10_000;
process.stdout.write(ok ? 'targets met\n' : 'TARGETS MISSED\n');
