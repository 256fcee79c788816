/**
 * `pnpm --filter jit-mm-swift bench` (root: `pnpm bench:jit`): the maker's decision latency, from
 * a taker message as it arrives on the wire to the fill instruction built and signed, in process
 * against the paper venue (an embedded simulator for oracle and taker flow):
 *
 *   full     = decode the frame + verify the taker's ed25519 signature and terms (the bot's `verify`)
 *              + volatility guard + decide() + build the fill request + sign the maker's message
 *   baseline = decode the same frame + sign the same-sized maker message (no verify, no decision)
 *
 * Both run interleaved order by order over the same 100,000 messages, so machine noise hits both.
 */
import { findMarket, formatPrice, type OrderRequest, type TakerOrder } from '@drift/core';
import { SimEngine, signingKeyFromSeed, signMessage, verifyTakerOrder } from '@drift/sim';
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

const { verify } = new TakerVerifier();
let sink = 0;
function full(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verify(taker)) throw new Error('bench: a genuine order failed verification');
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

/** The cryptographic floor of any verifying maker: decode + verify + sign, no decision. */
function floor(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verify(taker)) throw new Error('bench: a genuine order failed verification');
  baseline(frame);
}

/** The same path with @drift/sim's verifyTakerOrder (imports the taker's key on every order). */
function uncached(frame: string): void {
  const taker = decodeFrame(frame);
  if (!verifyTakerOrder(taker)) throw new Error('bench: a genuine order failed verification');
  baseline(frame);
}

// --- run -----------------------------------------------------------------------------------------
const paths = [
  { name: 'baseline: decode + sign', fn: baseline, us: new Float64Array(ORDERS) },
  { name: 'full: decode + verify + decide + build + sign', fn: full, us: new Float64Array(ORDERS) },
  { name: 'floor: decode + verify + sign (no decision)', fn: floor, us: new Float64Array(ORDERS) },
  { name: 'floor, verify re-importing the key each time', fn: uncached, us: new Float64Array(ORDERS / 10) },
];
for (let i = 0; i < WARMUP; i++) for (const p of paths) p.fn(frames[i % DISTINCT]!);
for (let i = 0; i < ORDERS; i++) {
  const frame = frames[i % DISTINCT]!;
  // Rotate which path runs first so none always gets the warmer cache.
  for (let k = 0; k < paths.length; k++) {
    const p = paths[(i + k) % paths.length]!;
    if (p.us.length < ORDERS && i % 10 !== 0) continue;
    const t0 = performance.now();
    p.fn(frame);
    p.us[p.us.length < ORDERS ? i / 10 : i] = (performance.now() - t0) * 1000;
  }
}
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
const [base, fullPath, floorPath] = paths as [(typeof paths)[0], (typeof paths)[0], (typeof paths)[0]];
const p99 = (p: (typeof paths)[0]) => pct(p.us, 0.99);
const p50 = (p: (typeof paths)[0]) => pct(p.us, 0.5);
const out = [
  `${ORDERS.toLocaleString('en-US')} taker messages (${DISTINCT} distinct signed orders from the seeded sim stream, ${fills} of them decided 'fill'; SOL ${formatPrice(oracles.get('SOL-PERP')!.price)}), node ${process.version}`,
  '| path (in process, paper venue)                | p50 µs | p99 µs | p50 / baseline | p99 / baseline |',
  '| --------------------------------------------- | ------ | ------ | -------------- | -------------- |',
  ...paths.map(
    (p) =>
      `| ${p.name.padEnd(45)} | ${f(p50(p)).padStart(6)} | ${f(p99(p)).padStart(6)} | ${(p50(p) / p50(base)).toFixed(2).padStart(13)}x | ${(p99(p) / p99(base)).toFixed(2).padStart(13)}x |`,
  ),
  '',
  `full p99 ${f(p99(fullPath))} µs (target < 2000 µs): ${p99(fullPath) < 2000 ? 'met' : 'MISSED'}; ` +
    `full/baseline p99 ${(p99(fullPath) / p99(base)).toFixed(2)}x (target < 3x): ${p99(fullPath) / p99(base) < 3 ? 'met' : 'MISSED'}; ` +
    `decision cost over the crypto floor p50 ${f(p50(fullPath) - p50(floorPath))} µs`,
];
process.stdout.write(`${out.join('\n')}\n`);
if (sink === 0) process.exitCode = 1;
