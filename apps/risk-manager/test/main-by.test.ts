/**
 * Who reset or halted the fleet, as main.ts hears it from the orchestrator (`by` on IPC `halt` /
 * `resume`): persisted in the state file and sent back with the `risk-state` report, so the
 * orchestrator relays it to the bots. Without `by` it stays "orchestrator".
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildMessage } from '@drift/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRiskState } from '../src/state-store.js';
import { tempStatePath } from './fleet.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

const CONFIG = `
mode: paper
markets: [SOL-PERP]
sim: { host: 127.0.0.1, port: 9, seed: 3, markets: { SOL-PERP: { startPrice: "150" } }, subAccounts: { "1": { collateral: "1000" } } }
apps: { risk-manager: { kind: risk, params: { pollIntervalMs: 100 } } }
risk: { maxPositionBase: { SOL-PERP: "500" }, maxGrossNotional: "100000", maxLeverage: "5", dailyLossLimit: "5000" }
`;

describe('risk-manager: who halted or reset', () => {
  it('records the operator named by the orchestrator and reports it back', async () => {
    const statePath = tempStatePath();
    const dir = path.dirname(statePath);
    fs.writeFileSync(path.join(dir, 'drift-bots.yaml'), CONFIG);
    const child = fork('src/main.ts', [], {
      cwd: packageDir,
      execArgv: ['--conditions=source', '--import', 'tsx'],
      env: {
        ...process.env,
        DRIFT_BOTS_CONFIG: path.join(dir, 'drift-bots.yaml'),
        RISK_STATE_FILE: statePath,
        LOG_DIR: path.join(dir, 'logs'),
        DRIFT_APP_NAME: 'risk-manager',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    const messages: ChildMessage[] = [];
    child.on('message', (m) => messages.push(m as ChildMessage));
    const report = (state: string) =>
      expect
        .poll(() => messages.find((m) => m.type === 'risk-state' && m.state === state), { timeout: 10_000 })
        .toBeDefined();

    await expect.poll(() => messages.find((m) => m.type === 'ready'), { timeout: 20_000 }).toBeDefined();
    child.send({ type: 'halt', reason: 'kill switch', by: 'bob' });
    await report('halted');
    expect(loadRiskState(statePath)).toMatchObject({ state: 'halted', by: 'bob' });
    expect(messages.find((m) => m.type === 'risk-state' && m.state === 'halted')).toMatchObject({
      by: 'bob',
    });

    child.send({ type: 'resume', reason: 'operator reset by alice', by: 'alice' });
    await report('active');
    expect(loadRiskState(statePath)).toMatchObject({
      state: 'active',
      by: 'alice',
      reason: 'orchestrator: operator reset by alice',
    });
    expect(messages.find((m) => m.type === 'risk-state' && m.state === 'active')).toMatchObject({
      by: 'alice',
    });

    child.send({ type: 'stop' });
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  }, 40_000);
});
