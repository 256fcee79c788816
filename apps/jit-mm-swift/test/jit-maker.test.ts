import { absBig, formatQuote, parseBase, parsePrice, quoteValue, type TakerOrderSource } from '@drift/domain';
import {
  type HistoryEntry,
  parseOracleCsv,
  SimEngine,
  SimTakerStream,
  signingKeyFromSeed,
  signMessage,
} from '@drift/sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { JitMakerDeps } from '../src/bot.js';
import { TakerVerifier } from '../src/taker-verifier.js';
import { engineConfig, FLEET_BOT, OUTSIDER, PARAMS, SOL, SUB, startMaker } from './harness.js';

type Harness = Awaited<ReturnType<typeof startMaker>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Oracle price at every slot, recorded from the engine's own events. */
function recordOracle(engine: SimEngine): Map<number, bigint> {
  const bySlot = new Map<number, bigint>([[0, engine.oracle('SOL-PERP').price]]);
  engine.subscribe((e) => {
    if (e.type === 'oracle') bySlot.set(e.price.slot, e.price.price);
  });
  return bySlot;
}

const ofKind = <K extends HistoryEntry['kind']>(engine: SimEngine, kind: K) =>
  engine.history().filter((e): e is Extract<HistoryEntry, { kind: K }> => e.kind === kind);

/**
 * The simulator's real stream, each order sent as is (`genuine`), re-signed by another key with its
 * terms and message intact (`forgery`), or as that forgery followed by the genuine order.
 */
function forgingStream(engine: SimEngine, send: 'genuine' | 'forgery' | 'forgery-then-genuine') {
  const forger = signingKeyFromSeed(new Uint8Array(32).fill(9));
  const stream = SimTakerStream.embedded(engine);
  let n = 0;
  const source: TakerOrderSource & { count(): number } = {
    subscribe: (markets, listener) =>
      stream.subscribe(markets, (order) => {
        n++;
        if (send !== 'genuine') listener({ ...order, signature: signMessage(forger, order.message!) });
        if (send !== 'forgery') listener(order);
      }),
    close: () => stream.close(),
    count: () => n,
  };
  return source;
}

describe('jit-mm-swift on a seeded flow of random takers', () => {
  it('earns positive spread against the oracle (fees in), within its max position, never after an auction', async () => {
    const engine = new SimEngine(engineConfig());
    const oracleAt = recordOracle(engine);
    harness = await startMaker(engine);
    await harness.runSlots(600); // 4 minutes of venue time, ~150 signed takers

    const fills = ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB);
    const counters = harness.maker.counters();
    expect(counters.seen).toBeGreaterThan(100);
    expect(fills.length).toBeGreaterThan(10);
    expect(counters.filled).toBe(fills.length);

    // Every fill keeps at least the edge over the oracle of its slot; together they earn money.
    let spread = 0n;
    for (const { fill, slot } of fills) {
      const oracle = oracleAt.get(slot)!;
      const edge = fill.side === 'sell' ? fill.price - oracle : oracle - fill.price;
      expect(edge * 10_000n).toBeGreaterThanOrEqual(BigInt(PARAMS.edgeBps) * oracle);
      spread += quoteValue(edge, fill.baseAmount) - fill.fee;
    }
    expect(spread).toBeGreaterThan(0n);
    expect(harness.maker.pnl.spreadCaptured).toBe(spread);
    expect(harness.maker.status().counters.spreadCapturedQuoteUnits).toBe(Number(spread));

    // Limits held at every position change the simulator recorded.
    const max = PARAMS.maxPositionBase['SOL-PERP']!;
    const positions = ofKind(engine, 'position').filter((e) => e.subAccount === SUB);
    for (const p of positions) expect(absBig(p.after)).toBeLessThanOrEqual(max);
    expect(positions.some((p) => absBig(p.after) > max / 2n)).toBe(true); // the cap was actually tested

    // Every fill lands inside a live auction of its taker, and no fill was even tried after one ended.
    const auctions = ofKind(engine, 'taker-order').map((e) => e.order);
    for (const { slot, counterparty } of fills) {
      const live = auctions.filter(
        (a) =>
          a.taker === counterparty &&
          a.auction.startSlot <= slot &&
          slot < a.auction.startSlot + a.auction.durationSlots,
      );
      expect(live.length).toBeGreaterThan(0);
    }
    const rejected = ofKind(engine, 'order-rejected').filter((e) => e.subAccount === SUB);
    expect(rejected.filter((e) => e.reason === 'auction-ended')).toEqual([]);
  });

  it('logs one line per taker order with market, size, auction, decision, price and latency', async () => {
    const engine = new SimEngine(engineConfig());
    harness = await startMaker(engine);
    await harness.runSlots(150);
    await harness.maker.stop(); // auctions still waiting for their slot are logged as skipped
    const perOrder = harness.lines.filter((l) => l.msg.startsWith('taker order:'));
    const { seen } = harness.maker.counters();
    expect(perOrder.length).toBe(seen);
    expect(new Set(perOrder.map((l) => l.fields.orderId)).size).toBe(seen);
    const filled = perOrder.find((l) => l.msg === 'taker order: filled');
    expect(filled?.fields).toMatchObject({
      bot: 'jit-mm-swift',
      market: 'SOL-PERP',
      decision: 'fill',
      auction: { startSlot: expect.any(Number), endSlot: expect.any(Number) },
    });
    expect(filled?.fields.price).toMatch(/^\d+(\.\d+)?$/);
    expect(filled?.fields.latencyUs).toEqual(expect.any(Number));
    const status = harness.maker.status();
    expect(status.counters.takersSeen).toBe(seen);
    expect(status.counters['fillLatency.count']).toBe(harness.maker.counters().filled);
    expect(status.pnlQuote).toBe(
      formatQuote(harness.maker.pnl.markToMarket(() => engine.oracle('SOL-PERP').price)),
    );
  });
});

describe('volatility guard and trading state', () => {
  it('skips while the oracle moves faster than the guard allows, and fills again once it calms', async () => {
    // Flat at 150, a 100 bps jump at 40 s, flat again: the 10 s guard window holds the jump until ~50 s.
    const replay = parseOracleCsv('timestamp,price\n0,150\n40000,151.5\n', SOL.tickSize);
    const engine = new SimEngine(
      engineConfig({ markets: [{ spec: SOL, startPrice: parsePrice('150'), replay }] }),
    );
    harness = await startMaker(engine);
    await harness.runSlots(200);

    const jumpSlot = 100; // 40 s / 400 ms
    const calmSlot = jumpSlot + 10_000 / 400 + 1;
    const fills = ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB);
    expect(fills.filter((f) => f.slot >= jumpSlot && f.slot < calmSlot)).toEqual([]);
    expect(fills.some((f) => f.slot < jumpSlot)).toBe(true);
    expect(fills.some((f) => f.slot >= calmSlot)).toBe(true);
    expect(harness.maker.counters().skipped.volatility).toBeGreaterThan(0);
    const skips = harness.lines.filter((l) => l.fields.reason === 'volatility');
    expect(
      skips.every((l) => (l.fields.slot as number) >= jumpSlot && (l.fields.slot as number) < calmSlot),
    ).toBe(true);
  });

  it('trades nothing while halted and fills again after a resume', async () => {
    const engine = new SimEngine(engineConfig());
    harness = await startMaker(engine);
    harness.orders.setTradingState('halted', 'test: risk halt');
    await harness.runSlots(100);
    const during = ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB).length;
    expect(during).toBe(0);
    expect(harness.maker.counters().skipped.halted).toBeGreaterThan(10);

    harness.orders.setTradingState('active', 'test: resume');
    await harness.runSlots(100);
    expect(ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB).length).toBeGreaterThan(0);
  });
});

describe('reducing', () => {
  it('only fills what shrinks its position, never growing or flipping it', async () => {
    const engine = new SimEngine(engineConfig());
    harness = await startMaker(engine);
    await harness.runSlots(150); // build some inventory first
    const start = harness.maker.position('SOL-PERP');
    expect(start).not.toBe(0n);
    harness.orders.setTradingState('reducing', 'test: reducing');
    await harness.runSlots(300);
    const changes = ofKind(engine, 'position').filter((e) => e.subAccount === SUB && e.slot > 150);
    expect(changes.length).toBeGreaterThan(0); // it did keep unwinding
    for (const c of changes) {
      expect(absBig(c.after)).toBeLessThan(absBig(c.before));
      expect(c.after === 0n || c.after > 0n === start > 0n).toBe(true);
    }
    expect(harness.maker.counters().skipped.reducing).toBeGreaterThan(0);
    expect(harness.maker.counters().skipped['rejected.risk-limit']).toBeUndefined();
  });
});

describe('signed taker orders', () => {
  it('skips an order whose terms no longer match its signature, and never sends a fill for it', async () => {
    const engine = new SimEngine(engineConfig());
    // The simulator's real stream, with every other order's size altered after signing (a forgery).
    const stream = SimTakerStream.embedded(engine);
    let n = 0;
    const tampering: TakerOrderSource = {
      subscribe: (markets, listener) =>
        stream.subscribe(markets, (order) =>
          listener(n++ % 2 === 0 ? { ...order, baseAmount: order.baseAmount * 2n } : order),
        ),
      close: () => stream.close(),
    };
    harness = await startMaker(engine, PARAMS, tampering);
    await harness.runSlots(150);
    await harness.maker.stop();

    const forged = harness.lines.filter((l) => l.fields.reason === 'bad-signature');
    expect(forged.length).toBe(Math.ceil(n / 2));
    const tried = new Set(
      harness.lines
        .filter((l) => l.msg === 'order intent journaled, sending')
        .map((l) => l.fields.clientOrderId),
    );
    for (const line of forged) expect(tried.has(`jit-mm-swift-taker-${line.fields.orderId}`)).toBe(false);
    expect(harness.maker.counters().filled).toBeGreaterThan(0);
  });

  it('fills a genuine order whose forged copy (its uuid, another key) arrived first', async () => {
    // Each order of the real stream is preceded by a forgery carrying its uuid: were the forgery's
    // uuid remembered, every genuine order would be skipped as a duplicate.
    const run = async (forgeFirst: boolean) => {
      const engine = new SimEngine(engineConfig());
      const stream = forgingStream(engine, forgeFirst ? 'forgery-then-genuine' : 'genuine');
      harness = await startMaker(engine, PARAMS, stream);
      await harness.runSlots(150);
      const counters = harness.maker.counters();
      await harness.close();
      harness = undefined;
      return { n: stream.count(), counters };
    };
    const plain = await run(false);
    const attacked = await run(true);
    expect(attacked.counters.skipped['bad-signature']).toBe(attacked.n);
    expect(attacked.counters.skipped.duplicate).toBeUndefined();
    expect(attacked.counters.filled).toBe(plain.counters.filled);
    expect(plain.counters.filled).toBeGreaterThan(0);
  });
});

describe('signed taker orders, checked off the main thread while the maker decides', () => {
  it('fills the same orders at the same slots and prices as with the check inline', async () => {
    const run = async (verify: JitMakerDeps['verify']) => {
      const engine = new SimEngine(engineConfig());
      harness = await startMaker(engine, PARAMS, SimTakerStream.embedded(engine), verify);
      await harness.runSlots(300);
      await harness.close();
      harness = undefined;
      return ofKind(engine, 'fill')
        .filter((e) => e.fill.subAccount === SUB)
        .map((e) => `${e.slot} ${e.counterparty} ${e.fill.side} ${e.fill.baseAmount} @ ${e.fill.price}`)
        .sort();
    };
    const inline = await run(new TakerVerifier().verify);
    expect(inline.length).toBeGreaterThan(5);
    expect(await run(new TakerVerifier().verifyOffThread)).toEqual(inline);
  });

  it('decides a forged order while its signature is checked, never sends its fill, and skips it as bad-signature', async () => {
    const engine = new SimEngine(engineConfig());
    // Every order forged: terms and message intact, so only the ed25519 check (off the main thread,
    // finishing after the decision) can tell.
    const forging = forgingStream(engine, 'forgery');
    harness = await startMaker(engine, PARAMS, forging, new TakerVerifier().verifyOffThread);
    await harness.runSlots(150);
    await harness.maker.stop();
    const n = forging.count();

    expect(n).toBeGreaterThan(30);
    const { skipped, filled } = harness.maker.counters();
    expect(skipped['bad-signature']).toBe(n);
    expect(filled).toBe(0);
    // Every forgery was decided before its check failed...
    expect(harness.maker.status().counters['decisionLatency.count']).toBe(n);
    // ...some of them 'fill' at once, the fill built and held for the check, then withheld.
    const withheld = harness.lines.filter((l) => l.fields.reason === 'bad-signature' && l.fields.withheld);
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld[0]?.fields.withheld).toMatchObject({ price: expect.stringMatching(/^\d/) });
    // Nothing reached order-management or the venue.
    expect(harness.lines.filter((l) => l.msg === 'order intent journaled, sending')).toEqual([]);
    expect(harness.orders.status().ordersPlaced).toBe(0);
    expect(ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB)).toEqual([]);
  });
});

describe('on-chain auction orders', () => {
  it("fills an outsider's market order inside its auction but never the fleet's own", async () => {
    const engine = new SimEngine(engineConfig({ takerFlow: { ordersPerMinute: 0 } }));
    harness = await startMaker(engine);
    const buy = { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: parseBase('5') } as const;
    engine.place(OUTSIDER, buy);
    engine.place(FLEET_BOT, buy);
    await harness.runSlots(15);
    const fills = ofKind(engine, 'fill').filter((e) => e.fill.subAccount === SUB);
    expect(fills.map((f) => f.counterparty)).toEqual([OUTSIDER]);
    expect(harness.maker.counters().skipped['own-fleet']).toBe(1);
  });
});
