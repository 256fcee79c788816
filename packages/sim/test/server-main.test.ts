/** The runnable sim server: config in, `ready` over IPC, serving venues, clean exit on SIGTERM. */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimVenue } from '../src/venue.js';

const packageDir = join(import.meta.dirname, '..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-main-'));
  dirs.push(dir);
  const path = join(dir, 'drift-bots.yaml');
  writeFileSync(
    path,
    [
      'mode: paper',
      'env: devnet',
      'markets: [SOL-PERP]',
      'rpc: { endpoints: [{ url: "http://127.0.0.1:1" }] }',
      'sim:',
      '  port: 0',
      '  seed: 7',
      '  markets: { SOL-PERP: { startPrice: "150", volatilityBps: 80 } }',
      '  subAccounts: { "1": { collateral: "5000" } }',
      'risk: { maxPositionBase: { SOL-PERP: "500" }, maxGrossNotional: "1000000", maxLeverage: "5",',
      '        dailyLossLimit: "5000", staleOracleMs: 5000, maxOrdersPerMinute: 600 }',
    ].join('\n'),
  );
  return path;
}

function start(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = fork(join(packageDir, 'src/server-main.ts'), args, {
    cwd: packageDir,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, DRIFT_LOG_DIR: dirs[0] ?? tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  child.stdout?.resume();
  return { child, stderr: () => err };
}

describe('server-main', () => {
  it('starts from the fleet config, reports ready over IPC, serves, and exits 0 on SIGTERM', async () => {
    const { child } = start(['--config', writeConfig(), '--speed', '10']);
    const ready = await new Promise<{ type: string; info: { url: string } }>((resolve, reject) => {
      child.on('message', (m: { type: string; info: { url: string } }) => m.type === 'ready' && resolve(m));
      child.once('exit', (code) => reject(new Error(`exited ${code} before ready`)));
    });
    expect(ready.info.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const venue = SimVenue.remote(ready.info.url, 1);
    await venue.connect();
    expect((await venue.getAccount()).collateral).toBe(5_000_000_000n);
    const first = await venue.clock();
    await new Promise((r) => setTimeout(r, 300));
    expect((await venue.clock()).slot).toBeGreaterThan(first.slot); // the clock runs on wall time
    await venue.close();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad flag before starting, naming it and the value, with the usage (exit 2)', async () => {
    const { child, stderr } = start(['--config', writeConfig(), '--port', 'eighty']);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr()).toMatch(/^sim: --port: "eighty" is not an integer in 0\.\.65535\nusage: /);
  });
});
