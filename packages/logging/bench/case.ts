/**
 * One benchmark case in a fresh process: writes WARMUP records (not measured: JIT compilation and
 * the first heap growth are start-up costs, not steady state), then RECORDS `order filled` records
 * the way an app does (bursts of BURST per event-loop turn), then prints one JSON line of
 * measurements. Every case, baselines included, gets the same warm-up.
 *   drift-logging   this package: compact file, console off
 *   writesync       baseline: fs.writeSync of the same preformatted lines, one call per line
 *   writesync-batched  the limit a logger can reach on this disk path: each record formatted to
 *                   its compact line (this package's string formatter) and the lines coalesced
 *                   into 64 KiB fs.writeSync calls, synchronously, in the caller's turn
 *   prebuilt-batched   the disk path alone: the lines made before the loop, coalesced the same way
 *   pino-sync       baseline: pino with a sync destination (its JSON lines)
 *   pino-rfs        baseline: pino piped naively into rotating-file-stream
 *   format-only     baseline: the same records formatted to compact lines and dropped (no logger, no
 *                   I/O): what the garbage of building the lines costs the event loop alone
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import { createStream } from 'rotating-file-stream';
import { createLogger, flushLogs, formatCompact } from '../src/index.js';

const [kind = 'drift-logging', dir = '/tmp/drift-bench', recordsArg = '200000'] = process.argv.slice(2);
const RECORDS = Number(recordsArg);
const BURST = 200;
const WARMUP = 50_000;
const TOTAL = WARMUP + RECORDS;
const file = path.join(dir, `${kind}.log`);

const record = (i: number) => ({
  market: 'SOL-PERP',
  orderId: 1_000_000 + i,
  price: 150_250_000n + BigInt(i % 1000),
  size: 1_500_000_000n,
  side: i % 2 ? 'buy' : 'sell',
  latencyUs: 180 + (i % 50),
});

/** Lines coalesced into 64 KiB fs.writeSync calls. */
function batchedWrites(fd: number) {
  let batch = '';
  return {
    add(line: string) {
      batch += line;
      if (batch.length >= 64 * 1024) {
        fs.writeSync(fd, batch);
        batch = '';
      }
    },
    end: async () => {
      fs.writeSync(fd, batch);
    },
  };
}

type Emit = (i: number) => void;
let finish: () => Promise<unknown> = async () => {};
let emit: Emit;

switch (kind) {
  case 'drift-logging': {
    const logger = createLogger({ appName: kind, critical: true, logDir: dir, enableConsoleLogging: false });
    emit = (i) => logger.info(record(i), 'order filled');
    finish = flushLogs;
    break;
  }
  case 'writesync-batched': {
    const writes = batchedWrites(fs.openSync(file, 'a'));
    emit = (i) =>
      writes.add(formatCompact({ level: 30, time: Date.now(), msg: 'order filled', ...record(i) }, kind));
    finish = writes.end;
    break;
  }
  case 'writesync':
  case 'prebuilt-batched': {
    const fd = fs.openSync(file, 'a');
    // Flat strings (a template literal makes a rope, which every write would flatten first).
    const lines = Array.from({ length: TOTAL }, (_, i) =>
      Buffer.from(
        formatCompact(
          {
            level: 30,
            time: Date.now(),
            msg: 'order filled',
            ...JSON.parse(JSON.stringify(record(i), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
          },
          kind,
        ),
      ).toString('latin1'),
    );
    if (kind === 'writesync') {
      emit = (i) => fs.writeSync(fd, lines[i]!);
      break;
    }
    const writes = batchedWrites(fd);
    emit = (i) => writes.add(lines[i]!);
    finish = writes.end;
    break;
  }
  case 'pino-sync': {
    const logger = pino(pino.destination({ dest: file, sync: true }));
    emit = (i) => logger.info(record(i), 'order filled');
    break;
  }
  case 'pino-rfs': {
    const stream = createStream(path.basename(file), { path: `${dir}/`, size: '10M', rotate: 5 });
    const logger = pino(stream);
    emit = (i) => logger.info(record(i), 'order filled');
    finish = () => new Promise((resolve) => stream.end(resolve));
    break;
  }
  case 'format-only': {
    let chars = 0;
    emit = (i) => {
      chars += formatCompact({ level: 30, time: Date.now(), msg: 'order filled', ...record(i) }, kind).length;
    };
    finish = async () => {
      if (chars === 0) throw new Error('nothing formatted');
    };
    break;
  }
  default:
    throw new Error(`unknown case ${kind}`);
}

/** Runs records [from, to) in bursts of BURST per event-loop turn; returns ms spent in log calls. */
function run(from: number, to: number): Promise<number> {
  let i = from;
  let callTime = 0;
  return new Promise((resolve) => {
    const turn = () => {
      const t0 = performance.now();
      const end = Math.min(i + BURST, to);
      for (; i < end; i++) emit(i);
      callTime += performance.now() - t0;
      if (i < to) setImmediate(turn);
      else resolve(callTime);
    };
    turn();
  });
}

// The setup's garbage (the baselines build 250,000 lines up front) is collected before measuring:
// otherwise a major GC of it lands inside the measured run of whichever case it happens to hit.
globalThis.gc?.();
await run(0, WARMUP);
globalThis.gc?.();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const started = performance.now();
const callTime = await run(WARMUP, TOTAL);
await finish();
const elapsed = performance.now() - started;
loop.disable();
process.stdout.write(
  `${JSON.stringify({
    kind,
    written: TOTAL,
    linesPerSec: Math.round(RECORDS / (elapsed / 1000)),
    usPerCall: (callTime * 1000) / RECORDS,
    loopP99Ms: loop.percentile(99) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
