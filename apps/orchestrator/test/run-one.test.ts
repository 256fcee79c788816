import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FIXTURE_DIR, isAlive, readRecord, removeDir, tempDir } from './fleet-fixture.js';
import { freePort } from './paper-fleet.js';

const PKG = resolve(import.meta.dirname, '..');
let dir: string;
afterEach(() => removeDir(dir));

interface Health {
  status: number;
  body: { state: string; dataStale: boolean };
}

/** run-one supervising hedge-bot as the fixture app with `fixture` behaviour, on a free port. */
async function startRunOne(fixture: string) {
  dir = tempDir();
  const config = join(dir, 'drift-bots.yaml');
  writeFileSync(
    config,
    stringify({
      mode: 'live',
      markets: ['SOL-PERP'],
      wallet: { keypairPath: join(dir, 'never-read.json') },
      rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }] },
      apps: {
        // A live config names its risk manager (run-one runs only hedge-bot here).
        'risk-manager': { kind: 'risk', dir: FIXTURE_DIR },
        'hedge-bot': {
          kind: 'bot',
          subAccount: 2,
          dir: FIXTURE_DIR,
          env: { FIXTURE_RECORD: join(dir, 'r.jsonl'), FIXTURE: fixture },
        },
      },
      risk: {
        maxPositionBase: { 'SOL-PERP': '10' },
        maxGrossNotional: '1000',
        maxLeverage: '5',
        dailyLossLimit: '100',
      },
      orchestrator: { heartbeat: { intervalMs: 200, timeoutMs: 2000 }, stopTimeoutMs: 2000 },
    }),
  );
  const port = await freePort();
  const child = fork(join(PKG, 'src/run-one.ts'), ['hedge-bot'], {
    cwd: PKG,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, DRIFT_BOTS_CONFIG: config, DRIFT_HEALTH_PORT: String(port) },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const health = async (path = '/healthz'): Promise<Health | undefined> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: (await res.json()) as Health['body'] };
    } catch {
      return undefined;
    }
  };
  const healthy = async () => {
    const deadline = Date.now() + 15_000;
    let last = await health();
    while (last?.status !== 200) {
      if (Date.now() > deadline) throw new Error(`never healthy: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
      last = await health();
    }
    return last;
  };
  const appPid = () => readRecord(join(dir, 'r.jsonl')).find((r) => r.event === 'ready')!.pid;
  return { child, exited, health, healthy, appPid };
}

describe('run-one (the Kubernetes health wrapper)', () => {
  it('serves /healthz while the app is ready and beating, and stops it on SIGTERM', async () => {
    const { child, exited, health, healthy, appPid } = await startRunOne('stale=1500-3500');
    expect((await healthy()).body.state).toBe('running');
    // Readiness follows the app's data freshness; liveness does not (a stalled oracle is no reason
    // to restart the pod).
    const seen: string[] = [];
    const until = Date.now() + 15_000;
    while (seen.join(',') !== 'ready,stale,ready' && Date.now() < until) {
      const [live, ready] = [await health(), await health('/readyz')];
      expect(live?.status).toBe(200);
      const now = ready?.status === 200 ? 'ready' : ready?.body.dataStale ? 'stale' : 'other';
      if (seen.at(-1) !== now) seen.push(now);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual(['ready', 'stale', 'ready']);
    const pid = appPid();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(isAlive(pid)).toBe(false);
  }, 90_000);

  it('answers 503 once a running app stops beating (hung), so the liveness probe restarts it', async () => {
    const { child, exited, health, healthy, appPid } = await startRunOne('hang-after=1000');
    await healthy();
    // The process is still there and its state still "running": only the heartbeat's age tells.
    const deadline = Date.now() + 15_000;
    let last = await health();
    while (last?.status !== 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      last = await health();
    }
    expect(last?.status).toBe(503);
    expect(last?.body.state).toBe('running');
    expect((await health('/readyz'))?.status).toBe(503);
    const pid = appPid();
    expect(isAlive(pid)).toBe(true);
    child.kill('SIGTERM'); // the hung app ignores it: killed after the stop timeout
    await exited;
    expect(isAlive(pid)).toBe(false);
  }, 90_000);
});
