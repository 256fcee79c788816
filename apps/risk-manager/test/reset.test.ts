import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLogger, flushLogs, parseLogLine } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import type { StateChange } from '../src/monitor.js';
import { parseResetArgs } from '../src/reset.js';
import { loadRiskState } from '../src/state-store.js';
import { buy, fleetEngine, limitsFrom, monitorOf, restingBid, tempStatePath } from './fleet.js';

const run = promisify(execFile);
const packageDir = path.resolve(import.meta.dirname, '..');

/** A monitor halted by a 6000 USDC loss (SOL 150 -> 90 on a 100 SOL long). */
async function haltedFleet(statePath: string, changes: StateChange[] = []) {
  const engine = fleetEngine({ prices: '0,150\n1000,90' });
  const monitor = await monitorOf(engine, limitsFrom({ dailyLossLimit: '5000' }), statePath, { changes });
  engine.place(1, buy('100'));
  await monitor.evaluate();
  engine.advance(1200);
  await monitor.evaluate();
  expect(monitor.state).toBe('halted');
  return { engine, monitor };
}

function logLines(dir: string) {
  return fs
    .readdirSync(dir)
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => parseLogLine(l));
}

describe('operator reset', () => {
  it('the reset CLI writes active with who asked, logs it, and a running monitor takes it up', async () => {
    const statePath = tempStatePath();
    const logDir = path.join(path.dirname(statePath), 'logs');
    const changes: StateChange[] = [];
    const { engine, monitor } = await haltedFleet(statePath, changes);

    const cli = await run(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'src/reset-cli.ts',
        '--',
        '--by',
        'alice',
        '--reason',
        'loss reviewed',
      ],
      {
        cwd: packageDir,
        env: { ...process.env, RISK_STATE_FILE: statePath, LOG_DIR: logDir, NO_COLOR: '1' },
      },
    );
    expect(cli.stdout).toContain('halted -> active (by alice)');
    expect(loadRiskState(statePath)).toMatchObject({ state: 'active', by: 'alice', reason: 'loss reviewed' });
    const logged = logLines(logDir).find((l) => JSON.stringify(l).includes('risk state reset by operator'));
    expect(JSON.stringify(logged)).toContain('alice');

    // Still 6000 below yesterday's base, but the reset re-bases the day: no new halt.
    engine.place(2, restingBid('90'));
    await monitor.evaluate();
    expect(monitor.state).toBe('active');
    expect(changes.map((c) => c.state)).toEqual(['halted', 'active']);
    expect(engine.openOrdersList()).toHaveLength(1);
  });

  it('a restarted monitor stays halted until reset; the reset is logged with who asked', async () => {
    const statePath = tempStatePath();
    const logDir = path.join(path.dirname(statePath), 'logs');
    const { engine } = await haltedFleet(statePath);

    const changes: StateChange[] = [];
    const restarted = await monitorOf(engine, limitsFrom({ dailyLossLimit: '5000' }), statePath, {
      changes,
      logger: createLogger({
        appName: 'risk-manager-test',
        critical: true,
        logDir,
        fileFormat: 'json',
        enableConsoleLogging: false,
      }),
    });
    await restarted.evaluate();
    expect(restarted.state).toBe('halted');
    restarted.reset('bob', 'orchestrator API reset');
    await flushLogs();
    expect(restarted.state).toBe('active');
    expect(loadRiskState(statePath)).toMatchObject({ state: 'active', by: 'bob' });
    const line = logLines(logDir).find((l) => JSON.stringify(l).includes('reset by operator'));
    expect(JSON.stringify(line)).toContain('"by":"bob"');
    expect(changes).toEqual([expect.objectContaining({ state: 'active', previous: 'halted' })]);
  });

  it('refuses a reset without --by or with an unknown flag, naming it', () => {
    expect(() => parseResetArgs([])).toThrow(/--by: missing/);
    expect(() => parseResetArgs(['--by'])).toThrow("option '--by <value>' argument missing");
    expect(() => parseResetArgs(['--by', ' '])).toThrow(/--by: " " is not a value/);
    expect(() => parseResetArgs(['--who', 'x'])).toThrow("unknown option '--who'");
    expect(parseResetArgs(['--', '--by', 'carol'])).toEqual({ by: 'carol', reason: 'operator reset' });
  });
});
