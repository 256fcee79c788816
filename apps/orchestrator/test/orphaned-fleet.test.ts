/**
 * The real paper fleet (simulator, swift-client, risk-manager and the three bots, each its real
 * `src/main.ts`) when the orchestrator is SIGKILLed: every child sees its IPC channel close at once,
 * yet the fleet still stops in the order of a normal stop (bots, then risk and infrastructure, then
 * the simulator), so each bot cancels its orders through a simulator that is still there.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedLogLine, parseLogLine } from '@drift/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../src/status.js';
import { isAlive, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import { startOrchestrator, writeExampleConfig } from './real-fleet.js';

const BOTS = { 'jit-mm-swift': 1, 'hedge-bot': 2, 'trend-bot': 3 } as const;
const APPS = ['sim', 'swift-client', 'risk-manager', ...Object.keys(BOTS)];

let dir: string;
let orchestrator: ChildProcess | undefined;
let pids: number[] = [];
let planted: { sub: number; orderId: string }[] = [];
let goneAfterMs = 0;

/** The example drift-bots.yaml: a smaller fleet, everything on disk in `dir`. */
async function writeConfig(): Promise<{ file: string; simPort: number }> {
  let simPort = 0;
  const file = await writeExampleConfig(dir, (config) => {
    simPort = config.sim.port;
    config.apps['rpc-manager'].enabled = false;
    config.apps['drift-client'].enabled = false;
    config.orchestrator.api = { host: '127.0.0.1', port: 0, token: 'orphan-test-token-0123456789' };
    config.orchestrator.stopTimeoutMs = 8_000;
  });
  return { file, simPort };
}

function logLines(app: string): ParsedLogLine[] {
  return readFileSync(join(dir, 'logs', `${app}.log`), 'utf8')
    .split('\n')
    .map((l) => parseLogLine(l))
    .filter((l): l is ParsedLogLine => l !== undefined);
}

function stoppedAt(app: string): number {
  const line = logLines(app).find((l) => l.msg === 'stopped');
  if (!line) throw new Error(`${app} never logged "stopped"`);
  return line.time.getTime();
}

beforeAll(async () => {
  dir = tempDir('orphaned-fleet-');
  const { file, simPort } = await writeConfig();
  const { child, api } = await startOrchestrator(dir, file);
  orchestrator = child;
  const status = (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
  expect(status.apps.map((a) => [a.name, a.state])).toEqual(APPS.map((a) => [a, 'running']));
  pids = status.apps.map((a) => a.pid as number);

  // One resting order per bot sub-account, far from the market, right before the kill: each bot's
  // stop must cancel it at the simulator (cancel-all, or as an order of its id range unknown to its journal).
  planted = [];
  for (const sub of Object.values(BOTS)) {
    const order = {
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      price: '75000000', // 75 USDC, half the start price
      baseAmount: '100000000', // 0.1 SOL
      postOnly: true,
      userOrderId: 250,
      clientOrderId: `orphan-test-${sub}`,
    };
    const res = await fetch(`http://127.0.0.1:${simPort}/rpc`, {
      method: 'POST',
      body: JSON.stringify({ id: 1, type: 'place', subAccount: sub, order }),
    });
    const reply = (await res.json()) as {
      ok: boolean;
      result: { ok: boolean; order: { orderId: string; status: string } };
    };
    expect(reply, JSON.stringify(reply)).toMatchObject({
      ok: true,
      result: { ok: true, order: { status: 'open' } },
    });
    planted.push({ sub, orderId: reply.result.order.orderId });
  }

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
      const lines = logLines(bot);
      expect(lines.filter((l) => l.msg === 'shutdown step failed').map((l) => l.fields)).toEqual([]);
      expect(String(lines.find((l) => l.msg === 'stopped')?.fields.exitCode)).toBe('0');
    }
  });

  it('the simulator closes last, with no order left open on any bot sub-account', () => {
    const closed = logLines('sim').find((l) => l.msg === 'sim server closed');
    expect(closed?.fields.openOrders).toEqual({});
    expect(planted).toHaveLength(3);
  });

  it('stops in the order of a normal fleet stop: bots, then risk and infrastructure, then the simulator', () => {
    const lastBot = Math.max(...Object.keys(BOTS).map(stoppedAt));
    expect(stoppedAt('risk-manager')).toBeGreaterThanOrEqual(lastBot);
    expect(stoppedAt('swift-client')).toBeGreaterThanOrEqual(stoppedAt('risk-manager'));
    expect(stoppedAt('sim')).toBeGreaterThanOrEqual(stoppedAt('swift-client'));
  });
});
