/**
 * A day seen live, traded again on paper. Recorded through the real `--record` code paths: the
 * live venue's (drift-client's `recordVenue`: a DriftVenue on the compiled program, its oracle
 * updates and the on-chain auctions of other users) and the Swift client's (the `swift-client`
 * process in live mode with `--record`, on a loopback Swift server, orders signed by the takers'
 * keys as their SDK signs them), both appending to one file. The file is then replayed twice in the simulator with
 * the real JitMaker trading it through its paper verifier: the same fills both times, Swift orders
 * and on-chain auctions both filled, none skipped as `bad-signature`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fill, TakerOrder } from '@drift/domain';
import { parseRecording, type RecordedEvent, replaySettings, SimEngine, SimTakerStream } from '@drift/sim';
import { recordingLogger } from '@drift/test-support';
import { recordVenue } from 'drift-client';
import { auctionFor, describeLane, eventually, laneParams, TAKER_BASE } from 'drift-client/lane';
import { recordedSwiftOrderVerifier } from 'swift-client';
import { newTaker, SwiftServerDouble, signedOrderFrame } from 'swift-client/loopback';
import { expect, it } from 'vitest';
import { TakerVerifier } from '../src/taker-verifier.js';
import { engineConfig, SUB, startMaker } from './harness.js';

const MODE = 'websocket';
/** Rounds of: oracle move, an on-chain market sell, a Swift market sell. */
const ROUNDS = 3;

describeLane('a recorded live day replays on paper', (lane) => {
  it('records oracle, on-chain auctions and Swift orders; replays them twice to the same fills', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jit-replay-'));
    const path = join(dir, 'day.jsonl');
    const server = new SwiftServerDouble(40);
    await server.start();
    const logger = recordingLogger();
    const recorder = await lane().venue(MODE);
    // `drift-client --record day.jsonl`: the live venue's oracle updates and on-chain auctions.
    const venueRecording = await recordVenue(recorder.venue, path, { logger, params: laneParams(MODE) });
    // `swift-client --record day.jsonl` (live mode): every order the Swift client delivers.
    const swift = startSwiftClient(dir, server.url, recorder.user.keypair.secretKey, path);
    try {
      await venueRecording.ready();
      await eventually(
        () => (server.live()[0]?.subscriptions.includes('SOL-PERP') ? true : undefined),
        60_000,
        'the swift-client process to subscribe',
      );
      // The recording wallet's own market order: the fleet's, never recorded as a taker.
      const own = await recorder.venue.placeOrder({
        market: 'SOL-PERP',
        side: 'sell',
        type: 'market',
        price: 140_000_000n,
        baseAmount: TAKER_BASE,
      });
      expect(own).toMatchObject({ ok: true });
      for (let round = 0; round < ROUNDS; round++) {
        await lane().exchange.setOraclePrice(150_000_000n + BigInt(round) * 10_000n);
        // A new user's market sell on chain, seen (by the lane's own auction source) before going on.
        await auctionFor(lane(), MODE, recorder.venue);
        const sent = server.publish(
          'SOL-PERP',
          signedOrderFrame(newTaker(), {
            marketIndex: 0,
            direction: 'short',
            baseAssetAmount: TAKER_BASE,
            price: 140_000_000n,
            auctionStartPrice: 150_000_000n,
            auctionEndPrice: 140_000_000n,
            auctionDuration: 10,
            slot: lane().chain.rpc.slot,
          }),
        );
        expect(sent).toBe(1);
        for (let i = 0; i < 4; i++) lane().chain.tick();
      }
      await eventually(
        () => {
          const takers = recordedTakers(readRecording(path));
          return takers.filter((t) => t.source === 'auction').length === ROUNDS &&
            takers.filter((t) => t.source === 'swift').length === ROUNDS
            ? true
            : undefined;
        },
        10_000,
        'every auction and Swift order in the recording',
      );
    } finally {
      swift.child.kill('SIGTERM');
      await venueRecording.stop();
      await swift.exited;
      await server.stop();
    }
    expect(await swift.exited).toBe(0);

    const events = readRecording(path);
    rmSync(dir, { recursive: true, force: true });
    const takers = recordedTakers(events);
    expect(events.filter((e) => e.kind === 'oracle').length).toBeGreaterThanOrEqual(ROUNDS);
    expect(takers).toHaveLength(2 * ROUNDS);
    expect(takers.every((t) => t.taker !== recorder.venue.authority)).toBe(true);

    const first = await replay(events);
    const second = await replay(events);

    expect(second.fills).toEqual(first.fills);
    expect(first.skipped['bad-signature']).toBeUndefined();
    // Both kinds of taker were traded: every counterparty is a recorded taker, of either source.
    const filledUuids = new Set(first.filled);
    const filledSources = new Set(takers.filter((t) => filledUuids.has(t.uuid)).map((t) => t.source));
    expect([...filledSources].sort()).toEqual(['auction', 'swift']);
    expect(first.fills.length).toBeGreaterThanOrEqual(2);
    expect(first.seen).toBe(takers.length);
    const takerKeys = new Set(takers.map((t) => t.taker));
    expect(first.counterparties.every((c) => takerKeys.has(String(c)))).toBe(true);
  }, 120_000);
});

/** The real swift-client process, live mode, on the loopback Swift server, recording to `path`. */
function startSwiftClient(
  dir: string,
  url: string,
  secretKey: Uint8Array,
  path: string,
): { child: ChildProcess; exited: Promise<number | null> } {
  const keypairPath = join(dir, 'maker.json');
  writeFileSync(keypairPath, JSON.stringify([...secretKey]));
  const configPath = join(dir, 'drift-bots.yaml');
  writeFileSync(
    configPath,
    `mode: live
env: devnet
markets: [SOL-PERP]
wallet: { keypairPath: ${JSON.stringify(keypairPath)} }
swift: { url: ${JSON.stringify(url)} }
rpc: { endpoints: [{ url: "http://127.0.0.1:1" }], proxy: { host: 127.0.0.1, port: 1 } }
risk: { maxPositionBase: { SOL-PERP: "10" }, maxGrossNotional: "100000", maxLeverage: "5", dailyLossLimit: "100" }
`,
  );
  // The workspace's swift-client app, run as its `start` script runs it.
  const swiftClientDir = join(import.meta.dirname, '../../swift-client');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'src/main.ts', '--record', path],
    {
      cwd: swiftClientDir,
      env: { ...process.env, DRIFT_BOTS_CONFIG: configPath, LOG_DIR: dir },
      stdio: 'ignore',
    },
  );
  return { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

function readRecording(path: string): RecordedEvent[] {
  try {
    return parseRecording(readFileSync(path, 'utf8'), path);
  } catch {
    return []; // nothing recorded yet
  }
}

function recordedTakers(events: readonly RecordedEvent[]): TakerOrder[] {
  return events.flatMap((e) => (e.kind === 'taker' ? [e.order] : []));
}

/** The recording replayed in a fresh simulator with the maker trading it through its paper verifier. */
async function replay(events: readonly RecordedEvent[]) {
  const base = engineConfig();
  const settings = replaySettings(events, base.markets);
  const engine = new SimEngine({ ...base, ...settings });
  const verifier = new TakerVerifier({ swift: recordedSwiftOrderVerifier('devnet') });
  const harness = await startMaker(engine, undefined, SimTakerStream.embedded(engine), verifier.verify);
  try {
    const lastSlot = Math.max(
      ...(settings.replayTakers ?? []).map((t) => t.auction.startSlot + t.auction.durationSlots),
    );
    await harness.runSlots(lastSlot - engine.clock().slot + 5);
    await harness.maker.idle();
    const fills: Fill[] = engine.fills({ subAccount: SUB });
    const counterparties = engine
      .history()
      .flatMap((e) => (e.kind === 'fill' && e.fill.subAccount === SUB ? [e.counterparty] : []));
    const filled = harness.lines
      .filter((l) => l.msg === 'taker order: filled')
      .map((l) => String(l.fields.orderId));
    const { seen, skipped } = harness.maker.counters();
    return { fills, filled, counterparties, seen, skipped };
  } finally {
    await harness.close();
  }
}
