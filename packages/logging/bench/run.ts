/**
 * `pnpm bench:logging`: 5 rounds of every case, each run in a fresh process, medians side by side, under
 * Node's default V8 settings and under the fleet's (SHORT_GC_PAUSE_FLAGS, what the orchestrator
 * starts every app with).
 * Lines lost = records written (warm-up included) minus record lines found on disk after the
 * process exited.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHORT_GC_PAUSE_FLAGS } from '../src/gc-flags.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ALL_CASES = [
  'writesync',
  'prebuilt-batched',
  'writesync-batched',
  'pino-sync',
  'pino-rfs',
  'format-only',
  'drift-logging',
];
/** BENCH_CASES=writesync,writesync-batched,drift-logging for a quick look (writesync is always run: the base). */
const CASES = process.env.BENCH_CASES
  ? ALL_CASES.filter((c) => c === 'writesync' || process.env.BENCH_CASES!.split(',').includes(c))
  : ALL_CASES;
const pkgDir = path.resolve(import.meta.dirname, '..');

interface Sample {
  written: number;
  linesPerSec: number;
  usPerCall: number;
  loopP99Ms: number;
  peakRssMb: number;
  lost: number;
}

function countLines(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.lock')) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (let at = text.indexOf('order filled'); at !== -1; at = text.indexOf('order filled', at + 1)) n++;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Node's defaults, and the V8 setting the orchestrator starts every app of the fleet with. */
const RUNTIMES = [
  { name: 'Node defaults', flags: [] as readonly string[] },
  { name: `the fleet's (${SHORT_GC_PAUSE_FLAGS.join(' ')})`, flags: SHORT_GC_PAUSE_FLAGS },
];

function measure(kind: string, flags: readonly string[]): Sample {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-bench-'));
  try {
    const res = spawnSync(
      process.execPath,
      [
        ...flags,
        '--expose-gc',
        '--conditions=source',
        '--import',
        'tsx',
        'bench/case.ts',
        kind,
        dir,
        String(RECORDS),
      ],
      { cwd: pkgDir, encoding: 'utf8' },
    );
    if (res.status !== 0) throw new Error(`${kind} failed: ${res.stderr}`);
    const sample = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Sample;
    // format-only writes nothing by design: not a loss.
    sample.lost = kind === 'format-only' ? Number.NaN : sample.written - countLines(dir);
    return sample;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Runtimes and cases interleaved round by round, each round in a rotated order (no case always
// runs first or right after the same neighbour), so machine noise hits all of them alike.
const loadBefore = os.loadavg()[0]!;
const results = new Map<string, Sample[]>();
for (let run = 0; run < RUNS; run++) {
  const runtimes = run % 2 ? [...RUNTIMES].reverse() : RUNTIMES;
  const cases = [...CASES.slice(run % CASES.length), ...CASES.slice(0, run % CASES.length)];
  for (const runtime of runtimes) {
    for (const kind of cases) {
      const key = `${runtime.name}/${kind}`;
      results.set(key, [...(results.get(key) ?? []), measure(kind, runtime.flags)]);
    }
  }
}
const loadAfter = os.loadavg()[0]!;

/** The median and, in brackets, the range over the rounds. */
const spread = (xs: number[], show: (x: number) => string) =>
  `${show(median(xs))} (${show(Math.min(...xs))}–${show(Math.max(...xs))})`;

const header = [
  'case',
  'lines/s',
  'vs writeSync',
  'vs batched (range)',
  'µs/call',
  'loop p99 ms (range)',
  'peak RSS MB',
  'lines lost',
];
process.stdout.write(
  `${RECORDS.toLocaleString('en-US')} records measured after 50,000 warm-up records, ${RUNS} rounds, medians (${os.cpus().length} cores, Node ${process.version}, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after)\n` +
    'vs writeSync / vs batched: the median of the ratios within each round (each round measures every case once)\n',
);
for (const runtime of RUNTIMES) {
  const of = (kind: string) => results.get(`${runtime.name}/${kind}`)!;
  /** Per round, this case's lines/s over the baseline's of the same round. */
  const ratios = (kind: string, base: string) =>
    of(kind).map((s, round) => s.linesPerSec / of(base)[round]!.linesPerSec);
  const hasLimit = CASES.includes('writesync-batched');
  const rows = CASES.map((kind) => {
    const s = of(kind);
    return [
      kind,
      median(s.map((x) => x.linesPerSec)).toLocaleString('en-US'),
      `${median(ratios(kind, 'writesync')).toFixed(2)}x`,
      hasLimit ? spread(ratios(kind, 'writesync-batched'), (r) => `${Math.round(r * 100)}%`) : 'n/a',
      median(s.map((x) => x.usPerCall)).toFixed(2),
      spread(
        s.map((x) => x.loopP99Ms),
        (x) => x.toFixed(2),
      ),
      median(s.map((x) => x.peakRssMb)).toFixed(0),
      kind === 'format-only' ? 'n/a' : String(median(s.map((x) => x.lost))),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(
    `\nV8 settings: ${runtime.name}\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`,
  );
}
