/**
 * The whole paper fleet's memory (the example drift-bots.yaml: the orchestrator and its five
 * processes, real apps): summed over the orchestrator and every process under it, once up, and its
 * growth over a soak at a high simulator speed (`BENCH_SOAK_S`, default 90 s, at `BENCH_SIM_SPEED`,
 * default 10x). Measured built (`pnpm start`: every app's dist/ on plain Node) beside, in the same
 * run, the fleet from source under tsx (how `pnpm start` ran it before) and as many bare `node`
 * processes. Target: the built fleet under 600 MB.
 *
 * Two sums, both from /proc/<pid>/smaps_rollup (Linux). RSS, which counts the pages every process maps
 * from the same files (the node binary above all: Node 24's text, mapped in 2 MB pages here, is ~55 MB
 * of each process's RSS) once per process. And the footprint: every process's private pages plus the
 * largest shared set once (they all share the same binary and libraries), i.e. what the fleet takes
 * from the host; PSS would split shared pages with every other node process on the machine too.
 * `pnpm --filter orchestrator bench:fleet` runs this part alone.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LaunchMode } from '../src/app-command.js';
import type { FleetStatus } from '../src/status.js';
import { removeDir, tempDir } from '../test/fleet-fixture.js';
import { freePort, startOrchestrator, writeExampleConfig } from '../test/real-fleet.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 90);
const SIM_SPEED = Number(process.env.BENCH_SIM_SPEED ?? 10);
const SETTLE_MS = 10_000;
const TARGET_BYTES = 600 * 1024 * 1024;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Memory {
  processes: number;
  rss: number;
  /** Private pages summed, plus the largest shared set once. */
  footprint: number;
  /** Of the RSS, file pages mapped in 2 MB pages (the node binary), summed. */
  hugeFile: number;
}

/** The pid and every process under it (the apps, and under tsx their esbuild services). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid ...`: comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root);
  return out;
}

function memoryOf(pids: readonly number[]): Memory {
  const sum: Memory = { processes: 0, rss: 0, footprint: 0, hugeFile: 0 };
  let sharedOnce = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const bytes = (field: string) =>
        1024 * Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
      sum.rss += bytes('Rss');
      sum.footprint += bytes('Private_Clean') + bytes('Private_Dirty');
      sum.hugeFile += bytes('FilePmdMapped');
      sharedOnce = Math.max(sharedOnce, bytes('Shared_Clean') + bytes('Shared_Dirty'));
      sum.processes++;
    } catch {
      // gone meanwhile
    }
  }
  sum.footprint += sharedOnce;
  return sum;
}

async function status(api: string): Promise<FleetStatus> {
  return (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
}

export interface FleetRun {
  up: Memory;
  /** After the soak (built only). */
  soaked?: Memory;
  restarts: number;
  exitCode: number | null;
}

/** The real paper fleet, up and settled, measured; soaked for `soakS` seconds when asked; stopped. */
async function measureFleet(launch: LaunchMode, soakS: number): Promise<FleetRun> {
  const dir = tempDir(`fleet-memory-${launch}-`);
  try {
    const rpcPort = await freePort();
    const apiPort = await freePort();
    const file = await writeExampleConfig(dir, (config) => {
      config.sim.speed = SIM_SPEED;
      config.rpc.proxy.port = rpcPort;
      config.orchestrator.api = { host: '127.0.0.1', port: apiPort, token: 'bench-token-0123456789' };
    });
    const { child, api } = await startOrchestrator(dir, file, { LOG_LEVEL: 'info' }, launch);
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    await sleep(SETTLE_MS);
    const pid = child.pid as number;
    const up = memoryOf(processTree(pid));
    let soaked: Memory | undefined;
    if (soakS > 0) {
      await sleep(soakS * 1000);
      soaked = memoryOf(processTree(pid));
    }
    const restarts = (await status(api)).apps.reduce((n, a) => n + a.restarts, 0);
    child.kill('SIGINT');
    return { up, ...(soaked && { soaked }), restarts, exitCode: await exited };
  } finally {
    removeDir(dir);
  }
}

/** `count` bare node processes at once (they share the binary's pages as the fleet does). */
async function bareNodes(count: number): Promise<Memory> {
  const procs = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' }),
  );
  await sleep(1_000);
  const memory = memoryOf(procs.map((p) => p.pid as number));
  for (const p of procs) p.kill();
  return memory;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function fleetMemoryRows(): Promise<string[][]> {
  if (process.platform !== 'linux') return [['fleet memory', 'not measured: needs /proc (Linux)', '', '']];
  await run('pnpm', ['--silent', 'run', 'build:fleet'], { cwd: PKG });
  const source = await measureFleet('source', 0);
  const built = await measureFleet('built', SOAK_S);
  const bare = await bareNodes(built.up.processes);
  const soaked = built.soaked as Memory;
  const both = (m: Memory) => `${mb(m.rss)} / ${mb(m.footprint)}`;
  const growth = (field: 'rss' | 'footprint') => soaked[field] - built.up[field];
  const pct = (field: 'rss' | 'footprint') => `${((100 * growth(field)) / built.up[field]).toFixed(1)}%`;
  const ok = (m: Memory) =>
    `RSS ${m.rss < TARGET_BYTES ? 'ok' : 'MISSED'}, footprint ${m.footprint < TARGET_BYTES ? 'ok' : 'MISSED'}`;
  return [
    [`${bare.processes} bare node processes, RSS sum / footprint`, both(bare), 'baseline', ''],
    ["  of which node's text in 2 MB pages (shared page cache), RSS sum", mb(bare.hugeFile), '', ''],
    [
      `paper fleet from source under tsx, ${source.up.processes} processes, RSS sum / footprint`,
      both(source.up),
      'baseline',
      '',
    ],
    [
      `paper fleet built (\`pnpm start\`), ${built.up.processes} processes, RSS sum / footprint`,
      both(built.up),
      '< 600 MB',
      ok(built.up),
    ],
    [
      `same after a ${SOAK_S} s soak at ${SIM_SPEED}x (${Math.round((SOAK_S * SIM_SPEED) / 60)} simulated min)`,
      both(soaked),
      '< 600 MB',
      ok(soaked),
    ],
    [
      'growth over the soak, RSS sum / footprint',
      `${mb(growth('rss'))} (${pct('rss')}) / ${mb(growth('footprint'))} (${pct('footprint')})`,
      '',
      '',
    ],
    [
      'restarts during the runs; exit code of the SIGINT stop (built, source)',
      `${built.restarts + source.restarts}; ${built.exitCode}, ${source.exitCode}`,
      '0; 0, 0',
      built.restarts + source.restarts === 0 && built.exitCode === 0 && source.exitCode === 0
        ? 'ok'
        : 'MISSED',
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await fleetMemoryRows();
  process.stdout.write(
    `${['| measure | value | target | |', '|---|---:|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')}\n`,
  );
}
