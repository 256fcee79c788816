import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FakeUpstream } from './fake-upstream.js';

const packageDir = new URL('..', import.meta.url).pathname;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function startMain(args: string[]): {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const logDir = mkdtempSync(join(tmpdir(), 'rpc-manager-main-'));
  cleanup.push(() => rmSync(logDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, DRIFT_LOG_DIR: logDir, DRIFT_RPC_URL: '' },
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
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
  expect(stderr()).toContain("rpc-manager: command line: Unknown option '--endponit'");
});

it('exits 2 when the proxy port is taken, naming the field', async () => {
  const upstream = await FakeUpstream.start();
  cleanup.push(() => upstream.close());
  const taken = new URL(upstream.url).port;
  const { exit, stderr } = startMain(['--endpoint', upstream.url, '--port', taken, '--ws-port', 'off']);
  expect(await exit).toBe(2);
  expect(stderr()).toContain(`rpc.proxy.port: 127.0.0.1:${taken} cannot be listened on (EADDRINUSE)`);
});
