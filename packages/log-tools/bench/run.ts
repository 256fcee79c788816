// `pnpm bench`: audit on a generated 20 x 50 workspace, monitor and tail on a generated ~1 GB log dir,
// each case in a fresh process (3 runs, median time, max peak RSS), beside baselines run the same way.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateLogDir, generateWorkspace } from './generate.js';

const RUNS = 3;
const packageDir = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-logs-bench-'));
const ws = path.join(scratch, 'workspace');
const logs = path.join(scratch, 'logs');

interface Row {
  name: string;
  ms: number;
  wallMs: number;
  rssMB: number;
  target?: string;
}

function run(kind: string, args: string[]): { ms: number; wallMs: number; rssMB: number } {
  const t0 = performance.now();
  const res = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'bench/measure.ts', kind, ...args],
    {
      cwd: packageDir,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const wallMs = performance.now() - t0;
  const last = res.stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`${kind} ${args.join(' ')} failed: ${res.stderr}`);
  const parsed = JSON.parse(last) as { ms: number; rssMB: number };
  return { ...parsed, wallMs };
}

function measure(name: string, kind: string, args: string[], target?: string): Row {
  const runs = Array.from({ length: RUNS }, () => run(kind, args));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const row: Row = {
    name,
    ms: median(runs.map((r) => r.ms)),
    wallMs: median(runs.map((r) => r.wallMs)),
    rssMB: Math.max(...runs.map((r) => r.rssMB)),
    ...(target ? { target } : {}),
  };
  process.stdout.write(
    `  ${name}: ${row.ms.toFixed(0)} ms (process ${row.wallMs.toFixed(0)} ms), ${row.rssMB.toFixed(0)} MB\n`,
  );
  return row;
}

try {
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  process.stdout.write(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${load()}, scratch ${scratch}\n`,
  );
  const srcBytes = generateWorkspace(ws, 20, 50);
  process.stdout.write(
    `generated workspace: 20 apps x 50 files, ${(srcBytes / 1e6).toFixed(1)} MB of source\n`,
  );
  const logBytes = generateLogDir(logs, 1024 ** 3, Date.now());
  const files = fs.readdirSync(logs).length;
  process.stdout.write(
    `generated log dir: ${files} files, ${(logBytes / 1024 ** 3).toFixed(2)} GiB, 24 h of lines\n\n`,
  );

  const rows: Row[] = [
    measure('audit (20 apps x 50 files)', 'cli', ['audit', '--root', ws, '--json'], '< 2000 ms'),
    measure('  baseline: TS parser alone (read + createSourceFile)', 'parse-only', [ws]),
    measure('  baseline: ts-morph Project loading the files', 'ts-morph-project', [ws]),
    measure(
      'monitor --dry-run (1 GiB)',
      'cli',
      ['monitor', '--log-dir', logs, '--root', scratch, '--dry-run', '--json'],
      '< 5000 ms, RSS < 100 MB',
    ),
    measure('tail -n 20 (1 GiB, 9 apps)', 'cli', [
      'tail',
      '--log-dir',
      logs,
      '--root',
      scratch,
      '--lines',
      '20',
    ]),
    measure('tail --since 1h --level error', 'cli', [
      'tail',
      '--log-dir',
      logs,
      '--root',
      scratch,
      '--since',
      '1h',
      '--level',
      'error',
    ]),
    measure('tail --since 25h --field orderId=424242 (all 1 GiB)', 'cli', [
      'tail',
      '--log-dir',
      logs,
      '--root',
      scratch,
      '--since',
      '25h',
      '--field',
      'orderId=424242',
    ]),
    measure('  baseline: raw streaming read of the 1 GiB, counting lines', 'raw-read', [logs]),
  ];

  const table = [
    '| case | median time (in process) | process incl. startup | peak RSS | target |',
    '|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name.trim()} | ${r.ms.toFixed(0)} ms | ${r.wallMs.toFixed(0)} ms | ${r.rssMB.toFixed(0)} MB | ${r.target ?? ''} |`,
    ),
  ];
  process.stdout.write(
    `\n${table.join('\n')}\n\nload average at the end: ${load()} (the machine is shared)\n`,
  );
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
