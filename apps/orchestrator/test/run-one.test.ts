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

describe('run-one (the Kubernetes health wrapper)', () => {
  it('serves /healthz while the app is ready and beating, and stops it on SIGTERM', async () => {
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
            env: { FIXTURE_RECORD: join(dir, 'r.jsonl'), FIXTURE: 'stale=1500-3500' },
          },
        },
        risk: {
          maxPositionBase: { 'SOL-PERP': '10' },
          maxGrossNotional: '1000',
          maxLeverage: '5',
          dailyLossLimit: '100',
        },
        orchestrator: { heartbeat: { intervalMs: 200, timeoutMs: 2000 } },
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
    const health = async (path = '/healthz') => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: res.status, body: (await res.json()) as { state: string; dataStale: boolean } };
      } catch {
        return undefined;
      }
    };
    const deadline = Date.now() + 15_000;
    let last = await health();
    while (last?.status !== 200) {
      if (Date.now() > deadline) throw new Error(`never healthy: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
      last = await health();
    }
    expect(last.body.state).toBe('running');
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
    const pid = readRecord(join(dir, 'r.jsonl')).find((r) => r.event === 'ready')!.pid;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});
