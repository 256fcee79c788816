// `drift-logs tail` as an operator runs it (a real process) on what a hostile or broken writer left.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compactLine, PACKAGE_DIR, removeTemps, tempDir, writeLog } from './helpers.js';

afterEach(() => removeTemps());

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach the terminal raw
const RAW = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function run(file: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file, ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const tail = (...args: string[]) => run('src/cli.ts', ['tail', ...args]);

describe('drift-logs tail on a log dir that is not one', () => {
  it('a file: a clear error, non-zero exit', async () => {
    const file = path.join(tempDir('notdir'), 'logs');
    fs.writeFileSync(file, 'x\n');
    const res = await tail('--log-dir', file);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`log dir ${file} is not a directory`);
  });

  it('a symlink loop: named as one, not "does not exist"', async () => {
    const dir = tempDir('loop');
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const res = await tail('--log-dir', path.join(dir, 'a'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('is a symlink loop');
    expect(res.stderr).not.toContain('does not exist');
  });
});

describe('drift-logs tail never moves the cursor', () => {
  it('a record written with ESC and line separators by another writer: printed escaped, plain and --json', async () => {
    const dir = tempDir('esc');
    const t = Date.now() - 1000;
    writeLog(path.join(dir, 'old-app.log'), [
      compactLine(t, 'old-app', 'ERROR', 'boom \u001b[2J\u001b[H\u009b1A cleared \u2028 x\u0085y\rz'),
    ]);
    for (const args of [[], ['--json']]) {
      const res = await tail('--log-dir', dir, ...args);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('boom');
      expect(res.stdout.slice(0, -1)).not.toMatch(RAW);
    }
  });

  it('the real logger under forging keys, bindings and messages: no forged record, nothing raw', async () => {
    const dir = tempDir('forge');
    const app = await run('test/fixtures/processes/hostile-app.ts', [], { LOG_DIR: dir });
    expect(app.code).toBe(0);
    const res = await tail('--log-dir', dir, '--level', 'error', '--json');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const all = await tail('--log-dir', dir);
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(
      all.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => RAW.test(l)),
    ).toEqual([]);
  });
});
