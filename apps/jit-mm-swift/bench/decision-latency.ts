/**
 * `pnpm --filter jit-mm-swift bench` (root: `pnpm bench:jit`): the maker's decision latency, from
 * a taker message as it arrives on the wire to the fill instruction built and signed, in process
 * against the paper venue (an embedded simulator for oracle and taker flow):
 *
 *   full       = decode the frame + verify the taker's ed25519 signature and terms (the bot's
 *                `verify`) + volatility guard + decide() + build the fill request + sign the
 *                maker's message
 *   overlapped = the same, the ed25519 check started right after decoding on libuv's threadpool
 *                (`verifyOffThread`) or on a worker thread, the decision and signing meanwhile, the
 *                check awaited before the fill could be handed to order-management (as the bot does
 *                with a promise verifier)
 *   baseline   = decode the same frame + sign the same-sized maker message (no verify, no decision)
 *
 * Beside them the floors without a decision. All run interleaved order by order over the same
 * 100,000 messages, so machine noise hits all of them.
 */
import { createPublicKey } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { findMarket, formatPrice, type OrderRequest, type TakerOrder } from '@drift/domain';
import {
  decodeBase58,
  encodeTakerMessage,
  SimEngine,
  signingKeyFromSeed,
  signMessage,
  verifyTakerOrder,
} from '@drift/sim';
import { decide } from '../src/decide.js';
import { type JitParams, quoteParamsFor } from '../src/params.js';
import { TakerVerifier } from '../src/taker-verifier.js';
import { VolatilityGuard } from '../src/volatility-guard.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const WARMUP = 5_000;
const DISTINCT = 4_000;
const SOL = findMarket('SOL-PERP')!;
const BTC = findMarket('BTC-PERP')!;

const params: JitParams = {
  markets: ['SOL-PERP', 'BTC-PERP'],
  edgeBps: 4,
  maxOrderBase: { 'SOL-PERP': 25_000_000_000n, 'BTC-PERP': 200_000_000n },
  maxPositionBase: { 'SOL-PERP': 200_000_000_000n, 'BTC-PERP': 2_000_000_000n },
  inventorySkewBps: 2,
  volGuardBps: 60,
  volWindowMs: 60_000,
  minTimeLeftSlots: 2,
  verifyOn: 'main-thread', // the paths below choose their verifier themselves
};

// --- the paper venue: oracle path and the signed taker stream -------------------------------------
const engine = new SimEngine({
  seed: 42,
  markets: [
    { spec: SOL, startPrice: 150_000_000n, volatilityBps: 80 },
    { spec: BTC, startPrice: 65_000_000_000n, volatilityBps: 50 },
  ],
  takerFlow: { ordersPerMinute: 600 },
  recordHistory: false,
});
const frames: string[] = [];
const guards = new Map(
  params.markets.map((m) => [m, new VolatilityGuard(params.volWindowMs, params.volGuardBps)]),
);
engine.subscribe((e) => {
  if (e.type === 'taker' && frames.length < DISTINCT) frames.push(toWire(e.order));
  if (e.type === 'oracle') guards.get(e.price.market)?.record(e.price.ts, e.price.price);
});
while (frames.length < DISTINCT) engine.advanceSlots(10);

/** The frame as the sim server pushes it: bigints as decimal strings, bytes as base64. */
function toWire(t: TakerOrder): string {
  return JSON.stringify({
    type: 'taker',
    order: {
      ...t,
      baseAmount: t.baseAmount.toString(),
      auction: {
        ...t.auction,
        startPrice: t.auction.startPrice.toString(),
        endPrice: t.auction.endPrice.toString(),
      },
      message: Buffer.from(t.message!).toString('base64'),
      signature: Buffer.from(t.signature!).toString('base64'),
    },
  });
}

interface WireTaker {
  uuid: string;
  source: TakerOrder['source'];
  market: string;
  side: TakerOrder['side'];
  baseAmount: string;
  auction: { startPrice: string; endPrice: string; startSlot: number; durationSlots: number };
  taker: string;
  receivedAt: number;
  message: string;
  signature: string;
}

function decodeFrame(frame: string): TakerOrder {
  const { order: w } = JSON.parse(frame) as { order: WireTaker };
  return {
    uuid: w.uuid,
    source: w.source,
    market: w.market,
    side: w.side,
    baseAmount: BigInt(w.baseAmount),
    auction: {
      startPrice: BigInt(w.auction.startPrice),
      endPrice: BigInt(w.auction.endPrice),
      startSlot: w.auction.startSlot,
      durationSlots: w.auction.durationSlots,
    },
    taker: w.taker,
    receivedAt: w.receivedAt,
    message: Buffer.from(w.message, 'base64'),
    signature: Buffer.from(w.signature, 'base64'),
  };
}

// --- the maker's side ----------------------------------------------------------------------------
const makerKey = signingKeyFromSeed(new Uint8Array(32).fill(7));
const specs = new Map([
  [SOL.symbol, SOL],
  [BTC.symbol, BTC],
]);
const oracles = new Map(params.markets.map((m) => [m, engine.oracle(m)]));
const encoder = new TextEncoder();

/** The maker's order message, as the fill instruction carries it. */
function makerMessage(request: OrderRequest, taker: string, slot: number): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      taker,
      market: request.market,
      side: request.side,
      price: request.price?.toString(),
      baseAmount: request.baseAmount.toString(),
      slot,
    }),
  );
}

const { verify, verifyOffThread } = new TakerVerifier();
let sink = 0;

/** Decide, build the fill request and sign the maker's message: what overlaps the verification. */
function decideBuildSign(taker: TakerOrder): void {
  const spec = specs.get(taker.market)!;
  const d = decide({
    taker,
    market: spec,
    oraclePrice: oracles.get(taker.market)!.price,
    slot: taker.auction.startSlot,
    position: 0n,
    params: quoteParamsFor(params, taker.market),
    volatile: guards.get(taker.market)!.tripped(),
  });
  // A skip ends here in the bot; to measure the full path every order builds a fill, at the
  // decided price when there is one, else at the auction's end price.
  const request: OrderRequest = {
    market: taker.market,
    side: taker.side === 'buy' ? 'sell' : 'buy',
    type: 'limit',
    price: d.decision === 'fill' ? d.price : taker.auction.endPrice,
    baseAmount: d.decision === 'fill' ? d.baseAmount : taker.baseAmount,
    ioc: true,
    clientOrderId: `jit-mm-swift-taker-${taker.uuid}`,
  };
  const slot = d.decision === 'fill' ? d.fillSlot : taker.auction.startSlot;
  sink += signMessage(makerKey, makerMessage(request, taker.uuid, slot)).length;
}

const forged = () => new Error('bench: a genuine order failed verification');

/** The bot's path: verify on the main thread, then decide and sign. */
function full(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verify(taker)) throw forged();
  decideBuildSign(taker);
}

/** The signature check on the threadpool overlapping the decision and the signing. */
async function overlapped(frame: string): Promise<void> {
  const taker = decodeFrame(frame);
  const verdict = verifyOffThread(taker);
  if (verdict === false) throw forged();
  decideBuildSign(taker);
  if (!(await verdict)) throw forged(); // only now may the fill be submitted
}

// The other way off the main thread: a worker with its own key cache (keys sent once per taker).
const worker = new Worker(
  `const { parentPort } = require('node:worker_threads');
   const { verify } = require('node:crypto');
   const keys = new Map();
   parentPort.on('message', ({ id, taker, key, message, signature }) => {
     if (key) keys.set(taker, key);
     parentPort.postMessage({ id, ok: verify(null, message, keys.get(taker), signature) });
   });`,
  { eval: true },
);
const answers = new Map<number, (ok: boolean) => void>();
worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => answers.get(id)?.(ok));
const sentKeys = new Set<string>();
let nextId = 0;
function verifyOnWorker(taker: TakerOrder): Promise<boolean> {
  // Terms on the main thread, as TakerVerifier does.
  if (!Buffer.from(taker.message!).equals(encodeTakerMessage({ ...taker, ...taker.auction })))
    return Promise.resolve(false);
  const id = nextId++;
  const key = sentKeys.has(taker.taker)
    ? undefined
    : createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(decodeBase58(taker.taker)).toString('base64url') },
        format: 'jwk',
      });
  sentKeys.add(taker.taker);
  return new Promise((resolve) => {
    answers.set(id, (ok) => {
      answers.delete(id);
      resolve(ok);
    });
    worker.postMessage({ id, taker: taker.taker, key, message: taker.message, signature: taker.signature });
  });
}

async function overlappedWorker(frame: string): Promise<void> {
  const taker = decodeFrame(frame);
  const verdict = verifyOnWorker(taker);
  decideBuildSign(taker);
  if (!(await verdict)) throw forged();
}

function baseline(frame: string): void {
  const taker = decodeFrame(frame);
  const request: OrderRequest = {
    market: taker.market,
    side: taker.side === 'buy' ? 'sell' : 'buy',
    type: 'limit',
    price: taker.auction.endPrice,
    baseAmount: taker.baseAmount,
  };
  sink += signMessage(makerKey, makerMessage(request, taker.uuid, taker.auction.startSlot)).length;
}

/** The cryptographic floor of a maker verifying serially: decode + verify + sign, no decision. */
function floor(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verify(taker)) throw forged();
  baseline(frame);
}

/** The floor of the overlapped path: decode + the threadpool check awaited, no decision, no sign. */
async function floorPool(frame: string): Promise<void> {
  const verdict = verifyOffThread(decodeFrame(frame));
  if (verdict === false || !(await verdict)) throw forged();
}

/** The serial floor with @drift/sim's verifyTakerOrder (imports the taker's key on every order). */
function uncached(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verifyTakerOrder(taker)) throw forged();
  baseline(frame);
}

// --- run -----------------------------------------------------------------------------------------
type Path = { name: string; fn: (frame: string) => void | Promise<void>; us: Float64Array };
const paths: Path[] = [
  { name: 'baseline: decode + sign', fn: baseline, us: new Float64Array(ORDERS) },
  { name: 'full: decode + verify + decide + build + sign', fn: full, us: new Float64Array(ORDERS) },
  { name: 'overlapped: verify on the threadpool', fn: overlapped, us: new Float64Array(ORDERS) },
  { name: 'overlapped: verify on a worker thread', fn: overlappedWorker, us: new Float64Array(ORDERS) },
  { name: 'floor: decode + verify + sign (no decision)', fn: floor, us: new Float64Array(ORDERS) },
  { name: 'floor: decode + verify on the threadpool', fn: floorPool, us: new Float64Array(ORDERS) },
  { name: 'floor, verify re-importing the key each time', fn: uncached, us: new Float64Array(ORDERS / 10) },
];
for (let i = 0; i < WARMUP; i++) for (const p of paths) await p.fn(frames[i % DISTINCT]!);
for (let i = 0; i < ORDERS; i++) {
  const frame = frames[i % DISTINCT]!;
  // Rotate which path runs first so none always gets the warmer cache.
  for (let k = 0; k < paths.length; k++) {
    const p = paths[(i + k) % paths.length]!;
    if (p.us.length < ORDERS && i % 10 !== 0) continue;
    const t0 = performance.now();
    const pending = p.fn(frame);
    if (pending) await pending;
    p.us[p.us.length < ORDERS ? i / 10 : i] = (performance.now() - t0) * 1000;
  }
}
await worker.terminate();
let fills = 0;
for (const frame of frames) {
  const t = decodeFrame(frame);
  const d = decide({
    taker: t,
    market: specs.get(t.market)!,
    oraclePrice: oracles.get(t.market)!.price,
    slot: t.auction.startSlot,
    position: 0n,
    params: quoteParamsFor(params, t.market),
    volatile: false,
  });
  if (d.decision === 'fill') fills++;
}

const pct = (a: Float64Array, q: number) => {
  const s = Float64Array.from(a).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const f = (v: number) => v.toFixed(1);
const byName = (prefix: string) => paths.find((p) => p.name.startsWith(prefix))!;
const [base, fullPath, overPath] = [
  byName('baseline'),
  byName('full:'),
  byName('overlapped: verify on the t'),
];
const p99 = (p: Path) => pct(p.us, 0.99);
const p50 = (p: Path) => pct(p.us, 0.5);
const out = [
  `${ORDERS.toLocaleString('en-US')} taker messages (${DISTINCT} distinct signed orders from the seeded sim stream, ${fills} of them decided 'fill'; SOL ${formatPrice(oracles.get('SOL-PERP')!.price)}), node ${process.version}`,
  '| path (in process, paper venue)                | p50 µs | p99 µs | p50 / baseline | p99 / baseline |',
  '| --------------------------------------------- | ------ | ------ | -------------- | -------------- |',
  ...paths.map(
    (p) =>
      `| ${p.name.padEnd(45)} | ${f(p50(p)).padStart(6)} | ${f(p99(p)).padStart(6)} | ${(p50(p) / p50(base)).toFixed(2).padStart(13)}x | ${(p99(p) / p99(base)).toFixed(2).padStart(13)}x |`,
  ),
  '',
  ...[fullPath, overPath].map(
    (p) =>
      `${p.name.split(':')[0]}: p99 ${f(p99(p))} µs (target < 2000 µs): ${p99(p) < 2000 ? 'met' : 'MISSED'}; ` +
      `p99 / baseline ${(p99(p) / p99(base)).toFixed(2)}x (target < 3x): ${p99(p) / p99(base) < 3 ? 'met' : 'MISSED'}`,
  ),
  `overlapping on the threadpool saved p50 ${f(p50(fullPath) - p50(overPath))} µs, p99 ${f(p99(fullPath) - p99(overPath))} µs over full`,
];
process.stdout.write(`${out.join('\n')}\n`);
if (sink === 0) process.exitCode = 1;
