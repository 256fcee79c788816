import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, flushLogs, listLogFiles } from '../src/index.js';
import { COMPACT_LINE, readAllLines, runFixture, tempDir } from './helpers.js';

const MB = 1024 * 1024;

describe('rotation', () => {
  it('after 70 MB: the active file and 5 backups of about 10 MB each, about 60 MB in all, no line split', async () => {
    const dir = tempDir();
    const logger = createLogger({
      appName: 'rot-app',
      critical: true,
      logDir: dir,
      enableConsoleLogging: false,
    });
    const payload = 'x'.repeat(1000);
    const count = Math.ceil((70 * MB) / 1080);
    for (let seq = 0; seq < count; seq++) {
      logger.info({ seq, payload }, 'bulk');
      if (seq % 5000 === 0) await flushLogs(); // let the batches drain as a real app would
    }
    await flushLogs();
    const files = listLogFiles('rot-app', dir);
    expect(files.map((f) => path.basename(f.path))).toEqual([
      'rot-app.log',
      'rot-app.log.1',
      'rot-app.log.2',
      'rot-app.log.3',
      'rot-app.log.4',
      'rot-app.log.5',
    ]);
    for (const f of files.slice(1)) {
      expect(f.size).toBeGreaterThanOrEqual(10 * MB);
      expect(f.size).toBeLessThanOrEqual(10 * MB + 64 * 1024); // rotation happens between batches
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    expect(total).toBeLessThanOrEqual(61 * MB);
    const lines = readAllLines(dir, 'rot-app');
    for (const line of lines) expect(line).toMatch(COMPACT_LINE);
    const seqs = lines.map((l) => Number(/ seq=(\d+) /.exec(l)?.[1]));
    // The newest lines are all there, in order: what rotation dropped is only the oldest.
    expect(seqs.at(-1)).toBe(count - 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  }, 60_000);
});

describe('disk trouble never crashes the app', () => {
  it('a log dir that cannot be created: one warning, the console goes on, exit code unchanged', async () => {
    // A path under a regular file can never be a directory, even for root.
    const blocker = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const res = await runFixture('test/fixtures/emit.ts', ['exit', '50', 'console'], {
      LOG_DIR: path.join(blocker, 'logs'),
    });
    expect(res.code).toBe(0);
    expect(res.stderr.match(/cannot write/g)).toHaveLength(1);
    expect(res.stderr).toContain('not-a-dir/logs/crash-test.log (ENOTDIR');
    expect(res.stdout.match(/order filled/g)).toHaveLength(50);
  });

  it('a log dir that exists but where the log file cannot be written: one warning, the console goes on', async () => {
    // chmod does not stop root, so the file's place is taken by a directory (EISDIR on open).
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'crash-test.log'));
    const res = await runFixture('test/fixtures/emit.ts', ['exit', '50', 'console'], { LOG_DIR: dir });
    expect(res.code).toBe(0);
    expect(res.stderr.match(/cannot write/g)).toHaveLength(1);
    expect(res.stdout.match(/order filled/g)).toHaveLength(50);
  });

  it.each([
    ['disk full mid-run (ENOSPC)', 'enospc'],
    ['a nearly full disk taking part of a batch (short write, then ENOSPC)', 'short'],
  ])(
    '%s: one warning, console goes on, every held line reaches the file once, whole and in order',
    async (_, mode) => {
      const dir = tempDir();
      const res = await runFixture('test/fixtures/disk-trouble.ts', [mode], { LOG_DIR: dir });
      expect(res.code).toBe(0);
      expect(res.stderr.match(/cannot write .*ENOSPC/g)).toHaveLength(1);
      expect(res.stderr).toMatch(/writable again/);
      expect(res.stdout.match(/seq=/g)).toHaveLength(400);
      const lines = fs.readFileSync(path.join(dir, 'disk-test.log'), 'utf8').split('\n').filter(Boolean);
      expect(lines.filter((l) => !COMPACT_LINE.test(l))).toEqual([]);
      expect(lines.map((l) => Number(/seq=(\d+)/.exec(l)?.[1]))).toEqual(
        Array.from({ length: 400 }, (_, i) => i),
      );
    },
  );
});
