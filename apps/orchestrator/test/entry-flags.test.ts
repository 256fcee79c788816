/**
 * Every entry point the fleet runs (and the orchestrator itself) refuses an argument it does not
 * know before anything starts: `<app>: unknown option '--bogus'` and its usage on stderr, exit 2,
 * no log file written. `--help` prints the usage and exits 0. Each is the real `src/main.ts`.
 * (drift-client and swift-client, which take flags, refuse through their own parsers: exit 1, logged,
 * as their own tests require.)
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './fleet-fixture.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRIES: [app: string, entry: string][] = [
  ['orchestrator', 'apps/orchestrator/src/main.ts'],
  ['sim', 'packages/sim/src/server-main.ts'],
  ['jit-mm-swift', 'apps/jit-mm-swift/src/main.ts'],
  ['hedge-bot', 'apps/hedge-bot/src/main.ts'],
  ['trend-bot', 'apps/trend-bot/src/main.ts'],
  ['risk-manager', 'apps/risk-manager/src/main.ts'],
];

let dir: string;
beforeAll(() => {
  dir = tempDir('entry-flags-');
});
afterAll(() => removeDir(dir));

async function run(entry: string, args: string[], logDir: string) {
  mkdirSync(logDir, { recursive: true });
  const pkg = join(ROOT, entry, '../..');
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(ROOT, entry), ...args],
      {
        cwd: pkg,
        env: { ...process.env, LOG_DIR: logDir, DRIFT_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.concurrent('an unknown flag is refused before anything starts', () => {
  it.each(ENTRIES)(
    '%s',
    async (app, entry) => {
      const logDir = join(dir, 'logs', app);
      const result = await run(entry, ['--bogus'], logDir);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^${app}: unknown option '--bogus'`));
      expect(result.stderr).toContain('usage:');
      expect(readdirSync(logDir)).toEqual([]);
    },
    90_000,
  );
});

describe.concurrent('--help prints the usage', () => {
  it.each(ENTRIES.filter(([app]) => ['orchestrator', 'hedge-bot'].includes(app)))(
    '%s',
    async (app, entry) => {
      const result = await run(entry, ['--help'], join(dir, 'help-logs', app));
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^usage: /);
      expect(result.stdout).toContain('--help');
    },
    90_000,
  );
});
