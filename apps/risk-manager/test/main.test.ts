/**
 * main.ts as the orchestrator runs it: forked with an IPC channel, paper mode on the embedded
 * simulator. An operator halt (IPC `halt`) is persisted and reported as `risk-state`; a restarted
 * process reports the restored halt; IPC `resume` resets it; `stop` exits cleanly. Who halted or
 * reset (`by` on IPC `halt` / `resume`) is persisted and reported back, so the orchestrator relays it
 * to the bots; without `by` it is "orchestrator".
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type ChildMessage, readRiskWord } from '@drift/runtime';
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

function start(statePath: string) {
  const dir = path.dirname(statePath);
  const configPath = path.join(dir, 'drift-bots.yaml');
  fs.writeFileSync(configPath, CONFIG);
  const child = fork('src/main.ts', [], {
    cwd: packageDir,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: {
      ...process.env,
      DRIFT_BOTS_CONFIG: configPath,
      RISK_STATE_FILE: statePath,
      DRIFT_RISK_WORD_FILE: path.join(dir, 'risk-word.json'),
      LOG_DIR: path.join(dir, 'logs'),
      DRIFT_APP_NAME: 'risk-manager',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const messages: ChildMessage[] = [];
  child.on('message', (m) => messages.push(m as ChildMessage));
  const next = (type: ChildMessage['type'], where: (m: ChildMessage) => boolean = () => true) =>
    expect
      .poll(() => messages.find((m) => m.type === type && where(m)), { timeout: 10_000, interval: 20 })
      .toBeDefined();
  return { child, messages, next };
}

describe('risk-manager under the orchestrator', () => {
  it('reports ready, takes a halt and a resume over IPC, and keeps the halt across a restart', async () => {
    const statePath = tempStatePath();
    const first = start(statePath);
    await first.next('ready');
    // The same word as a file, for bots under another supervisor: rewritten after every evaluation.
    const wordFile = path.join(path.dirname(statePath), 'risk-word.json');
    await expect.poll(() => readRiskWord(wordFile)?.state, { timeout: 5_000 }).toBe('active');
    const firstWordAt = readRiskWord(wordFile)?.at ?? 0;
    await expect.poll(() => readRiskWord(wordFile)?.at ?? 0, { timeout: 5_000 }).toBeGreaterThan(firstWordAt);
    first.child.send({ type: 'halt', reason: 'operator pressed the kill switch' });
    await first.next('risk-state', (m) => m.type === 'risk-state' && m.state === 'halted');
    expect(loadRiskState(statePath)).toMatchObject({ state: 'halted', by: 'orchestrator' });
    first.child.kill('SIGKILL');

    const second = start(statePath);
    await second.next('risk-state', (m) => m.type === 'risk-state' && m.state === 'halted');
    await second.next('heartbeat', (m) => m.type === 'heartbeat' && m.status.tradingState === 'halted');
    second.child.send({ type: 'resume', reason: 'reset by alice via the API' });
    await second.next('risk-state', (m) => m.type === 'risk-state' && m.state === 'active');
    expect(loadRiskState(statePath)).toMatchObject({
      state: 'active',
      by: 'orchestrator',
      reason: 'orchestrator: reset by alice via the API',
    });

    second.child.send({ type: 'stop' });
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
  }, 30_000);

  it('records the operator named by the orchestrator and reports it back', async () => {
    const statePath = tempStatePath();
    const { child, messages, next } = start(statePath);
    const reported = (state: string) => messages.find((m) => m.type === 'risk-state' && m.state === state);
    await next('ready');
    child.send({ type: 'halt', reason: 'kill switch', by: 'bob' });
    await next('risk-state', (m) => m.type === 'risk-state' && m.state === 'halted');
    expect(loadRiskState(statePath)).toMatchObject({ state: 'halted', by: 'bob' });
    expect(reported('halted')).toMatchObject({ by: 'bob' });

    child.send({ type: 'resume', reason: 'operator reset by alice', by: 'alice' });
    await next('risk-state', (m) => m.type === 'risk-state' && m.state === 'active');
    expect(loadRiskState(statePath)).toMatchObject({
      state: 'active',
      by: 'alice',
      reason: 'orchestrator: operator reset by alice',
    });
    expect(reported('active')).toMatchObject({ by: 'alice' });

    child.send({ type: 'stop' });
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  }, 40_000);
});
