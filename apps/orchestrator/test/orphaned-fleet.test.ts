/**
 * The real paper fleet (simulator, risk-manager and the three bots, each its real
 * `src/main.ts`) when the orchestrator is SIGKILLed: every child sees its IPC channel close at once,
 * yet the fleet still stops in the order of a normal stop (bots, then risk, then
 * the simulator), so each bot cancels its orders through a simulator that is still there.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../src/status.js';
import { isAlive, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import { BOTS, logLines, PAPER_APPS, PKG, paperEnv, plantOrders, writePaperConfig } from './paper-fleet.js';

let dir: string;
let orchestrator: ChildProcess | undefined;
let pids: number[] = [];
let planted: { sub: number; orderId: string }[] = [];
let goneAfterMs = 0;

const logLinesOf = (app: string) => logLines(dir, app);

function stoppedAt(app: string): number {
  const line = logLinesOf(app).find((l) => l.msg === 'stopped');
  if (!line) throw new Error(`${app} never logged "stopped"`);
  return line.time.getTime();
}

beforeAll(async () => {
  dir = tempDir('orphaned-fleet-');
  const { file, simPort } = await writePaperConfig(dir);
  let stderr = '';
  const child = fork(join(PKG, 'src/main.ts'), [], {
    cwd: PKG,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: {
      ...process.env,
      DRIFT_BOTS_CONFIG: file,
      ...paperEnv(dir),
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true,
  });
  orchestrator = child;
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const { api } = await new Promise<{ api: string }>((ok, fail) => {
    child.on('message', (m: { type?: string; info?: { api: string } }) => {
      if (m.type === 'ready' && m.info) ok(m.info);
    });
    child.once('exit', (code) => fail(new Error(`orchestrator exited ${code}: ${stderr}`)));
  });
  const status = (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
  expect(status.apps.map((a) => [a.name, a.state])).toEqual(PAPER_APPS.map((a) => [a, 'running']));
  pids = status.apps.map((a) => a.pid as number);

  planted = await plantOrders(simPort);

  const killedAt = Date.now();
  child.kill('SIGKILL');
  await waitFor(() => pids.every((p) => !isAlive(p)), 30_000, 'every child gone');
  goneAfterMs = Date.now() - killedAt;
}, 180_000);

afterAll(() => {
  orchestrator?.kill('SIGKILL');
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  removeDir(dir);
});

describe('the paper fleet when the orchestrator is SIGKILLed', () => {
  it('leaves no process behind within a few seconds', () => {
    expect(goneAfterMs).toBeLessThan(5_000);
  });

  it('every bot cancels its orders through the simulator and stops cleanly', () => {
    for (const bot of Object.keys(BOTS)) {
      const lines = logLinesOf(bot);
      expect(lines.filter((l) => l.msg === 'shutdown step failed').map((l) => l.fields)).toEqual([]);
      expect(String(lines.find((l) => l.msg === 'stopped')?.fields.exitCode)).toBe('0');
    }
  });

  it('the simulator closes last, with no order left open on any bot sub-account', () => {
    const closed = logLinesOf('sim').find((l) => l.msg === 'sim server closed');
    expect(closed?.fields.openOrders).toEqual({});
    expect(planted).toHaveLength(3);
  });

  it('stops in the order of a normal fleet stop: bots, then risk, then the simulator', () => {
    const lastBot = Math.max(...Object.keys(BOTS).map(stoppedAt));
    expect(stoppedAt('risk-manager')).toBeGreaterThanOrEqual(lastBot);
    expect(stoppedAt('sim')).toBeGreaterThanOrEqual(stoppedAt('risk-manager'));
  });
});
