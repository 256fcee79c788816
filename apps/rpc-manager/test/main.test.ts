import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';

const packageDir = new URL('..', import.meta.url).pathname;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function startMain(
  args: string[],
  env: Record<string, string> = {},
): {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
  logDir: string;
} {
  const logDir = mkdtempSync(join(tmpdir(), 'rpc-manager-main-'));
  cleanup.push(() => rmSync(logDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, LOG_DIR: logDir, DRIFT_RPC_URL: '', ...env },
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit, logDir };
}

it('starts from flags, reports ready over IPC, proxies, and stops on SIGTERM', async () => {
  const upstream = await FakeUpstream.start({ slot: 4_242 });
  cleanup.push(() => upstream.close());
  const { child, exit, stderr } = startMain(['--endpoint', upstream.url, '--port', '0', '--ws-port', 'off']);
  const ready = await new Promise<{ type: string; info: { proxy: string } }>((resolve, reject) => {
    child.on('message', (m: { type: string; info: { proxy: string } }) => m.type === 'ready' && resolve(m));
    void exit.then((code) => reject(new Error(`exited ${code} before ready: ${stderr()}`)));
  });
  expect(ready.info.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const reply = await fetch(ready.info.proxy, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSlot' }),
  });
  expect(await reply.json()).toEqual({ jsonrpc: '2.0', id: 1, result: 4_242 });

  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});

it('exits 2 on a bad flag, naming it, without echoing the API key', async () => {
  const key = 'MAINKEY0123456789abcdefghijklmnop';
  const { exit, stderr } = startMain(['--endpoint', `ftp://rpc.example/?api-key=${key}`]);
  expect(await exit).toBe(2);
  expect(stderr()).toContain('--endpoint #1: "ftp://rpc.example/?api-key=[redacted]" is not an http(s) URL');
  expect(stderr()).not.toContain(key);
});

it('exits 2 on an unknown flag, naming it (argv as `pnpm start -- --endponit ...` passes it)', async () => {
  const { exit, stderr } = startMain(['--', '--port', '0', '--endponit', 'http://127.0.0.1:1']);
  expect(await exit).toBe(2);
  expect(stderr()).toContain("rpc-manager: command line: unknown option '--endponit'");
});

it('exits 2 when the proxy port is taken, naming the field', async () => {
  const upstream = await FakeUpstream.start();
  cleanup.push(() => upstream.close());
  const taken = new URL(upstream.url).port;
  const { exit, stderr } = startMain(['--endpoint', upstream.url, '--port', taken, '--ws-port', 'off']);
  expect(await exit).toBe(2);
  expect(stderr()).toContain(`rpc.proxy.port: 127.0.0.1:${taken} cannot be listened on (EADDRINUSE)`);
});

it('reports the age of the best slot with its heartbeat: stale when no endpoint advances, fresh again after', async () => {
  const upstream = await FakeUpstream.start({ slot: 7_000 }); // no ticker: the slot stands still
  cleanup.push(() => upstream.close());
  // A 300 ms bound and 100 ms probes: stale past 400 ms of the same slot.
  const config = {
    mode: 'paper',
    markets: ['SOL-PERP'],
    sim: { markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts: { '0': { collateral: '1000' } } },
    apps: { 'rpc-manager': { params: { healthCheckMs: 100 } } },
    risk: {
      maxPositionBase: { 'SOL-PERP': '10' },
      maxGrossNotional: '5000',
      maxLeverage: '3',
      dailyLossLimit: '100',
      staleOracleMs: 300,
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'rpc-manager-stale-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'fleet.yaml'), JSON.stringify(config));
  const { child, logDir, exit } = startMain(
    ['--config', join(dir, 'fleet.yaml'), '--endpoint', upstream.url, '--port', '0', '--ws-port', 'off'],
    { DRIFT_HEARTBEAT_MS: '100' },
  );
  type Beat = { type: string; status?: { dataStale?: boolean; dataAgeMs?: Record<string, number> } };
  const beats: Beat[] = [];
  child.on('message', (m: Beat) => m.type === 'heartbeat' && beats.push(m));
  const until = async (what: string, ok: () => boolean) => {
    const end = Date.now() + 15_000;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await until('a stale heartbeat', () => beats.some((b) => b.status?.dataStale === true));
  const stale = beats.find((b) => b.status?.dataStale === true);
  expect(stale?.status?.dataAgeMs?.slot).toBeGreaterThan(400);
  const seen = beats.length;
  upstream.slot = 7_100;
  await until('a fresh heartbeat after the slot moved', () =>
    beats.slice(seen).some((b) => b.status?.dataStale === false),
  );
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
  const log = readFileSync(join(logDir, 'rpc-manager.log'), 'utf8');
  expect(log.match(/ \| ERROR \| data stale: no endpoint reports a new slot/g)).toHaveLength(1);
  expect(log).toMatch(/ \| WARN \| data fresh again: the best slot advances/);
}, 60_000);
