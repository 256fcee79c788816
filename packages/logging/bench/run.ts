/**
 * `pnpm bench:logging`: each case 5 times, each run in a fresh process, medians side by side, under
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
const ALL_CASES = ['writesync', 'writesync-batched', 'pino-sync', 'pino-rfs', 'format-only', 'drift-logging'];
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

// Runtimes and cases interleaved run by run, so machine noise hits all of them alike.
const results = new Map<string, Sample[]>();
for (let run = 0; run < RUNS; run++) {
  for (const runtime of RUNTIMES) {
    for (const kind of CASES) {
      const key = `${runtime.name}/${kind}`;
      results.set(key, [...(results.get(key) ?? []), measure(kind, runtime.flags)]);
    }
  }
}

const header = [
  'case',
  'lines/s',
  'vs writeSync',
  'vs batched',
  'µs/call',
  'loop p99 ms',
  'peak RSS MB',
  'lines lost',
];
process.stdout.write(
  `${RECORDS.toLocaleString('en-US')} records measured after 10,000 warm-up records, ${RUNS} runs per case, medians (${os.cpus().length} cores, Node ${process.version})\n`,
);
for (const runtime of RUNTIMES) {
  const of = (kind: string) => results.get(`${runtime.name}/${kind}`)!;
  const base = median(of('writesync').map((s) => s.linesPerSec));
  const limit = CASES.includes('writesync-batched')
    ? median(of('writesync-batched').map((s) => s.linesPerSec))
    : Number.NaN;
  const rows = CASES.map((kind) => {
    const s = of(kind);
    const lps = median(s.map((x) => x.linesPerSec));
    return [
      kind,
      lps.toLocaleString('en-US'),
      `${(lps / base).toFixed(2)}x`,
      Number.isNaN(limit) ? 'n/a' : `${Math.round((lps / limit) * 100)}%`,
      median(s.map((x) => x.usPerCall)).toFixed(2),
      median(s.map((x) => x.loopP99Ms)).toFixed(2),
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
