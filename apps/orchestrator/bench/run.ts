/**
 * `pnpm bench` (bench:orchestrator): the orchestrator's own costs, each beside a baseline measured in
 * the same run, with the fixture app (@drift/runtime's lifecycle helper: the same start-up path as a real app):
 *  - restart overhead: SIGKILL -> replacement ready, minus the configured backoff, minus the child's
 *    own start-up measured alone (fork -> ready), runs interleaved;   target < 300 ms
 *  - fleet stop: ordered SIGTERM over 8 apps;                          target < 5 s
 *  - orchestrator RSS with 8 apps, API and metrics scraped;            target < 80 MB
 *    measured as built JS on plain node (production) and under tsx (`pnpm start` from source),
 *    beside empty node and empty node+tsx processes;
 *  - the whole real paper fleet's memory and its growth over a soak (bench/fleet-memory.ts): target < 600 MB.
 */
import { execFile, fork } from 'node:child_process';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorMessage } from '@drift/logging';
import { startApiServer } from '../src/api-server.js';
import { createFleetMetrics } from '../src/metrics.js';
import {
  FIXTURE_DIR,
  FIXTURE_ENTRY,
  type FixtureApp,
  fixtureConfigInput,
  fixtureFleet,
  ROOT,
  removeDir,
  tempDir,
} from '../test/fleet-fixture.js';
import { quietLogger } from '../test/quiet-logger.js';
import { fleetMemoryRows } from './fleet-memory.js';

const RUNS = 7;
const BACKOFF_MS = 100;
const PKG = fileURLToPath(new URL('..', import.meta.url));
const guard = fileURLToPath(new URL('../src/child-guard.ts', import.meta.url));
const run = promisify(execFile);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const FLEET: Record<string, FixtureApp> = {
  'rpc-manager': { kind: 'infrastructure' },
  'drift-client': { kind: 'infrastructure' },
  'order-management': { kind: 'infrastructure' },
  'risk-manager': { kind: 'risk', fixture: 'risk' },
  'jit-mm-swift': { kind: 'bot', subAccount: 1 },
  'hedge-bot': { kind: 'bot', subAccount: 2 },
  'trend-bot': { kind: 'bot', subAccount: 3 },
};
const POLICY = {
  restart: {
    baseMs: BACKOFF_MS,
    factor: 1,
    capMs: BACKOFF_MS,
    stableAfterMs: 1,
    maxRestarts: 100,
    windowMs: 1000,
    minUptimeMs: 1,
  },
  heartbeat: { intervalMs: 1000, timeoutMs: 10_000 },
};

/** The fixture app started alone, fork -> its `ready` message. */
function startupAlone(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = fork(join(ROOT, FIXTURE_ENTRY), [], {
      cwd: join(ROOT, FIXTURE_DIR),
      execArgv: ['--conditions=source', '--import', 'tsx', '--import', guard],
      env: { ...process.env, DRIFT_APP_NAME: 'alone', DRIFT_HEARTBEAT_MS: '1000' },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.on('message', (m: { type?: string }) => {
      if (m.type !== 'ready') return;
      const ms = performance.now() - t0;
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}

async function emptyRss(args: string[]): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [...args, '-e', 'process.stdout.write(String(process.memoryUsage.rss()))'],
    {
      cwd: PKG,
    },
  );
  return Number(stdout);
}

/** `dist` needs dist/ (built first; `turbo run bench` builds the dependencies). */
async function builtRss(
  record: string,
  nodeFlags: string[],
  from: 'dist' | 'src' = 'dist',
): Promise<number | string> {
  try {
    const input = JSON.stringify(fixtureConfigInput(FLEET, { record, orchestrator: POLICY }));
    const { stdout } = await run(
      process.execPath,
      [...nodeFlags, 'bench/rss-built.mjs', input, ROOT, FIXTURE_ENTRY, from],
      { cwd: PKG, env: { ...process.env, LOG_DIR: join(dirname(record), 'logs') } },
    );
    return (JSON.parse(stdout) as { rss: number }).rss;
  } catch (err) {
    return `not measured: ${errorMessage(err).split('\n')[0]}`;
  }
}

async function main(): Promise<void> {
  const dir = tempDir('orch-bench-');
  const record = join(dir, 'record.jsonl');
  const fleet = fixtureFleet(FLEET, { record, orchestrator: POLICY });
  const api = await startApiServer({
    fleet,
    token: 'bench-token-0123456789',
    registry: createFleetMetrics(fleet).registry,
    logger: quietLogger(),
    host: '127.0.0.1',
    port: 0,
  });
  const t0 = performance.now();
  await fleet.start();
  const fleetStartMs = performance.now() - t0;

  await startupAlone(); // warm-up (disk cache, tsx cache)
  const alone: number[] = [];
  const restart: number[] = [];
  const ownPart: number[] = [];
  const bot = fleet.app('hedge-bot');
  for (let i = 0; i < RUNS; i++) {
    alone.push(await startupAlone());
    const ready = new Promise<number>((resolve) => bot.once('ready', () => resolve(performance.now())));
    const respawned = new Promise<number>((resolve) => bot.once('restart', () => resolve(performance.now())));
    const killedAt = performance.now();
    void respawned.then((t) => ownPart.push(t - killedAt - BACKOFF_MS));
    process.kill(bot.pid as number, 'SIGKILL');
    restart.push((await ready) - killedAt - BACKOFF_MS);
  }

  // node:http, not fetch: undici would load ~10 MB into the process we are measuring.
  const get = (path: string) =>
    new Promise((resolve, reject) =>
      http.get(api.url + path, (res) => res.resume().on('end', resolve)).on('error', reject),
    );
  for (let i = 0; i < 20; i++) {
    await get('/api/status');
    await get('/metrics');
  }

  const s0 = performance.now();
  await fleet.stop();
  const stopMs = performance.now() - s0;
  await api.close();

  const rssNode = await emptyRss([]);
  const rssNodeTsx = await emptyRss(['--import', 'tsx']);
  await run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.build.json'], { cwd: PKG }).catch(() => undefined);
  const rssBuilt = await builtRss(record, []);
  const rssBuiltSmallYoung = await builtRss(record, ['--max-semi-space-size=1']);
  // As `pnpm start` runs it (its own process: the figure taken inside this one mixed in the bench).
  const rssSource = await builtRss(
    record,
    ['--max-semi-space-size=1', '--conditions=source', '--import', 'tsx'],
    'src',
  );
  removeDir(dir);
  const fleetRows = await fleetMemoryRows();

  const aloneMs = median(alone);
  const restartMs = median(restart);
  const overhead = restartMs - aloneMs;
  const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const rows: string[][] = [
    ['child start-up alone (fork -> ready), median', `${aloneMs.toFixed(0)} ms`, 'baseline', ''],
    ['SIGKILL -> replacement ready, minus backoff, median', `${restartMs.toFixed(0)} ms`, '', ''],
    [
      'restart overhead beyond the child start-up',
      `${overhead.toFixed(0)} ms`,
      '< 300 ms',
      check(overhead < 300),
    ],
    [
      "the orchestrator's own part: SIGKILL -> exit seen -> replacement forked, minus backoff, median",
      `${median(ownPart).toFixed(0)} ms`,
      '',
      '',
    ],
    ['fleet start, 8 apps one after another (ready each)', `${fleetStartMs.toFixed(0)} ms`, '', ''],
    ['fleet stop, 8 apps in order', `${stopMs.toFixed(0)} ms`, '< 5 s', check(stopMs < 5000)],
    ['empty node process RSS', mb(rssNode), 'baseline', ''],
    ['empty node + tsx process RSS', mb(rssNodeTsx), 'baseline', ''],
    [
      'orchestrator RSS, 8 apps + API, built JS on node (production)',
      typeof rssBuilt === 'number' ? mb(rssBuilt) : rssBuilt,
      '< 80 MB',
      typeof rssBuilt === 'number' ? check(rssBuilt < 80 * 1024 * 1024) : 'MISSED',
    ],
    [
      'same, node --max-semi-space-size=1 (`pnpm start`)',
      typeof rssBuiltSmallYoung === 'number' ? mb(rssBuiltSmallYoung) : rssBuiltSmallYoung,
      '< 80 MB',
      typeof rssBuiltSmallYoung === 'number' ? check(rssBuiltSmallYoung < 80 * 1024 * 1024) : 'MISSED',
    ],
    [
      'same, from source under tsx (`pnpm --filter orchestrator start`)',
      typeof rssSource === 'number' ? mb(rssSource) : rssSource,
      '(tsx adds its loader thread)',
      '',
    ],
  ];
  const out = [
    `orchestrator benchmark: ${RUNS} interleaved runs, backoff ${BACKOFF_MS} ms, node ${process.version}`,
    '',
    '| measure | value | target | |',
    '|---|---:|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'the real paper fleet (drift-bots.yaml, the orchestrator and every process under it):',
    '',
    '| measure | value | target | |',
    '|---|---:|---|---|',
    ...fleetRows.map((r) => `| ${r.join(' | ')} |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
