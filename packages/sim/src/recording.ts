/**
 * Recorded market streams: what a venue and a taker source received (oracle updates, signed taker
 * orders, on-chain auctions), one JSON object a line, bigints as decimal strings and bytes as base64
 * (the sim's wire encoding). The live venue (oracle updates, on-chain auctions) and the Swift client
 * write them (`--record <file>`); the simulator replays one instead of its random walk and random
 * takers (`sim.replayStream`).
 *
 *   {"kind":"oracle","price":{"market":"SOL-PERP","price":"150120000","ts":1767225600400,"slot":1}}
 *   {"kind":"taker","order":{"uuid":"...","source":"swift","market":"SOL-PERP",...,"signature":"..."}}
 *   {"kind":"taker","order":{"uuid":"...","source":"auction","market":"SOL-PERP",...}}
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { OraclePrice, TakerOrder, TakerOrderSource, Unsubscribe, Venue } from '@drift/domain';
import { CliUsageError } from '@drift/runtime';
import type { SimEngineConfig, SimMarketConfig } from './config.js';
import type { ReplayPoint } from './oracle.js';
import { encodeWire, Reader, readOracle, readTakerOrder, WireError } from './wire.js';

export type RecordedEvent = { kind: 'oracle'; price: OraclePrice } | { kind: 'taker'; order: TakerOrder };

/** Appends events to a file, each line written through before `record` returns (nothing held in memory). */
export class StreamRecorder {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  record(event: RecordedEvent): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${encodeWire(event)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The `--record <file>` argument of the apps that record: a file in an existing directory. */
export function recordPathArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const path = resolve(value);
  if (!existsSync(dirname(path)))
    throw new CliUsageError(`--record: "${value}" is in a directory that does not exist`);
  if (existsSync(path) && !statSync(path).isFile())
    throw new CliUsageError(`--record: "${value}" is not a file`);
  return path;
}

/** Records every oracle update a venue announces. */
export function recordOracles(venue: Pick<Venue, 'subscribe'>, recorder: StreamRecorder): Unsubscribe {
  return venue.subscribe((event) => {
    if (event.type === 'oracle') recorder.record({ kind: 'oracle', price: event.price });
  });
}

/** Records every taker order a source delivers for `markets`. */
export function recordTakers(
  source: Pick<TakerOrderSource, 'subscribe'>,
  markets: string[],
  recorder: StreamRecorder,
): Unsubscribe {
  return source.subscribe(markets, (order) => recorder.record({ kind: 'taker', order }));
}

/** Parses a recording; errors name the line and the field. Blank lines are skipped. */
export function parseRecording(text: string, source = 'recording'): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      const r = new Reader(JSON.parse(line));
      const kind = r.oneOf('kind', ['oracle', 'taker'] as const);
      events.push(
        kind === 'oracle'
          ? { kind, price: readOracle(r.obj('price')) }
          : { kind, order: readTakerOrder(r.obj('order')) },
      );
    } catch (err) {
      const detail = err instanceof WireError || err instanceof SyntaxError ? err.message : String(err);
      throw new RangeError(`${source} line ${i + 1}: ${detail}`);
    }
  }
  if (events.length === 0) throw new RangeError(`${source}: no recorded events`);
  return events;
}

/**
 * The engine settings that replay `events`: time starts at the first event (its ts and slot), each
 * recorded market's oracle follows its recorded points, and the taker orders open at their recorded
 * slots with their signed terms untouched. Markets without oracle points keep their random walk.
 */
export function replaySettings(
  events: readonly RecordedEvent[],
  markets: readonly SimMarketConfig[],
): Pick<SimEngineConfig, 'startTs' | 'firstSlot' | 'replayTakers' | 'markets'> {
  const oracles = events.flatMap((e) => (e.kind === 'oracle' ? [e.price] : []));
  const takers = events.flatMap((e) => (e.kind === 'taker' ? [e.order] : []));
  const first = oracles[0];
  const startTs = first ? first.ts : takers[0]!.receivedAt;
  const firstSlot = Math.min(...(first ? [first.slot] : []), ...takers.map((t) => t.auction.startSlot));
  const points = new Map<string, ReplayPoint[]>();
  for (const o of oracles) {
    const list = points.get(o.market) ?? [];
    // The first point is pinned to the start so every market shares the recording's clock; a
    // point received out of order holds its predecessor's time.
    list.push({ ts: Math.max(o.ts, list.at(-1)?.ts ?? startTs), price: o.price });
    if (list.length === 1) list[0]!.ts = startTs;
    points.set(o.market, list);
  }
  return {
    startTs,
    firstSlot,
    replayTakers: takers,
    markets: markets.map((m) => {
      const replay = points.get(m.spec.symbol);
      return replay ? { ...m, replay } : m;
    }),
  };
}
