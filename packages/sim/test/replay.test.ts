import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fill, TakerOrder } from '@drift/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { auctionPriceAt } from '../src/auction.js';
import { SimEngine } from '../src/engine.js';
import {
  parseRecording,
  recordOracles,
  recordTakers,
  replaySettings,
  StreamRecorder,
} from '../src/recording.js';
import { verifyTakerOrder } from '../src/signing.js';
import { SimTakerStream } from '../src/taker-stream.js';
import { SimVenue } from '../src/venue.js';
import { px, SOL } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MARKETS = [{ spec: SOL, startPrice: px('150'), volatilityBps: 120 }];

/** Records what a venue and a taker stream receive from a live-like engine (seed 5) for 200 slots. */
async function recordSession(path: string): Promise<SimEngine> {
  const source = new SimEngine({ seed: 5, markets: MARKETS, takerFlow: { ordersPerMinute: 240 } });
  const venue = SimVenue.embedded(source, 0);
  const stream = SimTakerStream.embedded(source);
  const recorder = new StreamRecorder(path);
  const stopOracles = recordOracles(venue, recorder);
  const stopTakers = recordTakers(stream, ['SOL-PERP'], recorder);
  await venue.connect();
  await stream.ready();
  for (let i = 0; i < 200; i++) {
    source.advanceSlots(1);
    await new Promise((r) => setImmediate(r));
  }
  stopOracles();
  stopTakers();
  recorder.close();
  await venue.close();
  await stream.close();
  return source;
}

/** Replays the recording with rival makers on; a maker fills each taker 2 slots in, at that slot's price. */
function replay(path: string): { fills: Fill[]; history: string; takers: TakerOrder[] } {
  const settings = replaySettings(parseRecording(readFileSync(path, 'utf8'), path), MARKETS);
  const engine = new SimEngine({
    seed: 77,
    ...settings,
    takerFlow: { ordersPerMinute: 240 }, // ignored: the recording's takers replace the random stream
    competition: {},
  });
  const takers: TakerOrder[] = [];
  engine.subscribe((e) => {
    if (e.type === 'taker') takers.push(e.order);
  });
  for (let i = 0; i < 220; i++) {
    engine.advanceSlots(1);
    const slot = engine.clock().slot;
    for (const t of takers.filter((t) => t.auction.startSlot + 2 === slot)) {
      const price = auctionPriceAt({ ...t.auction, side: t.side }, slot, SOL.tickSize);
      engine.fillTaker(t, { price, baseAmount: t.baseAmount, subAccount: 1, decisionUs: 200 });
    }
  }
  const history = JSON.stringify(engine.history(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  return { fills: engine.fills({ subAccount: 1 }), history, takers };
}

describe('recorded streams', () => {
  it('replay to the same fills twice, with the recorded oracle path and signed takers', async () => {
    const path = join(dir, 'session.jsonl');
    const source = await recordSession(path);
    const events = parseRecording(readFileSync(path, 'utf8'));
    const recordedTakers = events.flatMap((e) => (e.kind === 'taker' ? [e.order] : []));
    expect(recordedTakers.length).toBeGreaterThan(250); // 240 a minute for 80 s
    expect(events.filter((e) => e.kind === 'oracle')).toHaveLength(200);

    const first = replay(path);
    const second = replay(path);
    expect(first.fills.length).toBeGreaterThan(10);
    expect(first.fills.length).toBeLessThan(recordedTakers.length); // rivals take the rest
    expect(second.fills).toEqual(first.fills);
    expect(second.history).toBe(first.history);

    // The replayed takers are the recorded ones, signatures intact, at their recorded slots.
    expect(first.takers.map((t) => t.uuid)).toEqual(recordedTakers.map((t) => t.uuid));
    expect(first.takers.every((t) => verifyTakerOrder(t))).toBe(true);
    // The oracle replays the recorded path: the replay's price at the recording's last slot is the source's.
    const replayed = new SimEngine({ seed: 1, ...replaySettings(events, MARKETS) });
    replayed.advanceSlots(200);
    expect(replayed.oracle('SOL-PERP').price).toBe(source.oracle('SOL-PERP').price);
  });

  it('refuses a bad recording, naming the line and the field', () => {
    expect(() =>
      parseRecording(
        '{"kind":"oracle","price":{"market":"SOL-PERP","price":"x","ts":1,"slot":1}}\n',
        'f.jsonl',
      ),
    ).toThrow(/^f\.jsonl line 1: price\.price: "x"/);
    expect(() => parseRecording('\n{not json', 'f.jsonl')).toThrow(/^f\.jsonl line 2: /);
    expect(() => parseRecording('{"kind":"trade"}', 'f.jsonl')).toThrow(/^f\.jsonl line 1: kind: "trade"/);
  });
});
