import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/cli-args.js';
import { defaultJournalPath, OrderManager } from '../src/index.js';
import { buy, flatEngine, recordingLogger, sell, simVenue, tempDir } from './helpers.js';

const run = promisify(execFile);
const PKG = join(import.meta.dirname, '..');

async function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args],
      { cwd: PKG, env: { ...process.env, LOG_DIR: tmp.dir } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('order-management start (journal report)', () => {
  it('prints every order with its state, the fills and the counts by status', async () => {
    const engine = flatEngine();
    const venue = await simVenue(engine, 1);
    const path = join(tmp.dir, 'mm.orders.sqlite');
    const om = new OrderManager({
      bot: 'mm',
      venue,
      journal: path,
      logger: recordingLogger(),
      rateLimit: false,
    });
    await om.start();
    await om.place({ ...buy('149', '2'), clientOrderId: 'mm-a' });
    await om.place({ ...buy('148', '1'), clientOrderId: 'mm-b' });
    engine.place(2, sell('149', '0.5'));
    await om.cancel('mm-b');
    await om.stop({ cancel: false });
    await venue.close();

    const { code, stdout } = await report(['--journal', path]);
    expect(code).toBe(0);
    expect(stdout).toContain('orders: 2 (partially-filled 1, cancelled 1); fills: 1');
    const rowA = stdout.split('\n').find((l) => l.startsWith('mm-a '));
    expect(rowA).toMatch(/SOL-PERP\s+buy\s+limit\s+2\s+149\s+0\.5\s+partially-filled/);
    expect(stdout.split('\n').some((l) => l.startsWith('mm-b ') && l.includes('cancelled'))).toBe(true);
    expect(stdout).toMatch(/mm-a\s+SOL-PERP\s+buy\s+0\.5\s+149/);
  });

  it('names the bad argument, exits 2 and logs it to its own log file', async () => {
    const missing = await report(['--journal', join(tmp.dir, 'nope.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--journal: no journal at ${join(tmp.dir, 'nope.sqlite')}`);
    expect(readFileSync(join(tmp.dir, 'order-management.log'), 'utf8')).toContain('bad arguments');
  });
});

describe('parseReportArgs', () => {
  it('names each bad argument', () => {
    expect(() => parseReportArgs(['--frobnicate'], tmp.dir)).toThrow("unknown option '--frobnicate'");
    expect(() => parseReportArgs(['--bot'], tmp.dir)).toThrow("option '--bot <value>' argument missing");
    expect(() => parseReportArgs(['--bot', '../etc'], tmp.dir)).toThrow('--bot: "../etc" is not a bot name');
    expect(() => parseReportArgs([], tmp.dir)).toThrow('--bot or --journal is required');
    expect(() => parseReportArgs(['--bot', 'ghost'], tmp.dir)).toThrow(
      /--bot: no journal at .*ghost\.orders\.sqlite/,
    );
  });

  it('resolves --bot to data/<bot>.orders.sqlite under the workspace root', () => {
    const root = join(PKG, '..', '..');
    expect(defaultJournalPath('mm', PKG, {})).toBe(join(root, 'data', 'mm.orders.sqlite'));
  });

  it('follows DRIFT_DATA_DIR, where the bot writes its journal when the fleet moves its data', () => {
    expect(defaultJournalPath('mm', PKG, { DRIFT_DATA_DIR: '/srv/fleet-b' })).toBe(
      '/srv/fleet-b/mm.orders.sqlite',
    );
  });
});
