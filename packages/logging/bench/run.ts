/**
 * `pnpm bench:logging`: each case 5 times, each run in a fresh process, medians side by side.
 * Lines lost = records written (warm-up included) minus record lines found on disk after the
 * process exited.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CASES = ['writesync', 'pino-sync', 'pino-rfs', 'drift-logging'];
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
const results: Record<string, Sample[]> = {};
for (let run = 0; run < RUNS; run++) {
  for (const kind of CASES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-bench-'));
    const res = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'bench/case.ts', kind, dir, String(RECORDS)],
      {
        cwd: pkgDir,
        encoding: 'utf8',
      },
    );
    if (res.status !== 0) throw new Error(`${kind} failed: ${res.stderr}`);
    const sample = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Sample;
    sample.lost = sample.written - countLines(dir);
    const samples = results[kind] ?? [];
    samples.push(sample);
    results[kind] = samples;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const base = median(results.writesync!.map((s) => s.linesPerSec));
const rows = CASES.map((kind) => {
  const s = results[kind]!;
  const lps = median(s.map((x) => x.linesPerSec));
  return [
    kind,
    lps.toLocaleString('en-US'),
    `${(lps / base).toFixed(2)}x`,
    median(s.map((x) => x.usPerCall)).toFixed(2),
    median(s.map((x) => x.loopP99Ms)).toFixed(2),
    median(s.map((x) => x.peakRssMb)).toFixed(0),
    String(median(s.map((x) => x.lost))),
  ];
});
const header = ['case', 'lines/s', 'vs writeSync', 'µs/call', 'loop p99 ms', 'peak RSS MB', 'lines lost'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(
  `${RECORDS.toLocaleString('en-US')} records measured after 10,000 warm-up records, ${RUNS} runs per case, medians (${os.cpus().length} cores, Node ${process.version})\n`,
);
process.stdout.write(
  `${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`,
);
