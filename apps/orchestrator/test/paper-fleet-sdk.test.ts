/**
 * The real paper fleet of drift-bots.yaml (every app's real entry, as the orchestrator launches it)
 * never loads `@drift-labs/sdk` or `@solana/web3.js`: live mode imports them on demand, and they would
 * cost each of the five processes ~65 MB. A preload (test/fixtures/module-probe.mjs, through
 * NODE_OPTIONS, which every child inherits) records what each process loaded.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../src/status.js';
import { isAlive, removeDir, tempDir } from './fleet-fixture.js';
import { freePort, startOrchestrator, writeExampleConfig } from './real-fleet.js';

const PKG = resolve(import.meta.dirname, '..');
const PROBE = join(PKG, 'test/fixtures/module-probe.mjs');
const SDK = /node_modules\/(@drift-labs\/sdk|@solana\/web3\.js)\//;

let dir: string;
let orchestrator: ChildProcess | undefined;
let apps: { name: string; pid: number }[] = [];
let exitCode: number | null = null;

/** What process `pid` loaded, from the probe's file. */
function loaded(name: string, pid: number): string[] {
  const file = `${name}-${pid}.json`;
  if (!readdirSync(join(dir, 'probe')).includes(file))
    throw new Error(`${name} (pid ${pid}) left no probe file`);
  return JSON.parse(readFileSync(join(dir, 'probe', file), 'utf8')) as string[];
}

beforeAll(async () => {
  dir = tempDir('paper-fleet-sdk-');
  mkdirSync(join(dir, 'probe'));
  // Every process of the example config (rpc-manager's proxy on a free port, should it run).
  const rpcPort = await freePort();
  const file = await writeExampleConfig(dir, (config) => {
    config.rpc.proxy.port = rpcPort;
    config.orchestrator.api = { host: '127.0.0.1', port: 0, token: 'sdk-test-token-0123456789' };
  });
  const { child, api } = await startOrchestrator(dir, file, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PROBE}`.trim(),
    MODULE_PROBE_DIR: join(dir, 'probe'),
  });
  orchestrator = child;
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const status = (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
  apps = status.apps.map((a) => ({ name: a.name, pid: a.pid as number }));
  expect(status.apps.map((a) => a.state)).toEqual(status.apps.map(() => 'running'));
  child.kill('SIGINT');
  exitCode = await exited;
}, 240_000);

afterAll(() => {
  orchestrator?.kill('SIGKILL');
  for (const { pid } of apps) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  removeDir(dir);
});

describe('the paper fleet', () => {
  it('runs all five processes and stops cleanly', () => {
    expect(apps.map((a) => a.name)).toEqual([
      'sim',
      'risk-manager',
      'jit-mm-swift',
      'hedge-bot',
      'trend-bot',
    ]);
    expect(exitCode).toBe(0);
  });

  it('loads neither @drift-labs/sdk nor @solana/web3.js in any process', () => {
    for (const { name, pid } of apps) {
      const files = loaded(name, pid);
      // The probe saw the app's own packages (pino is CommonJS, zod ESM): it was looking.
      expect(
        files.some((f) => f.includes('/node_modules/pino/')),
        name,
      ).toBe(true);
      expect(
        files.filter((f) => SDK.test(f)),
        name,
      ).toEqual([]);
    }
  });
});
