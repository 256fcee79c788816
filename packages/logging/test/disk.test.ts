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

describe('LOG_FILE_FORMAT=json: the file a log shipper tails', () => {
  it('holds one JSON record per line, every line of the run, with the fields as JSON keys', async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/emit.ts', ['exit', '20'], {
      LOG_DIR: dir,
      LOG_FILE_FORMAT: 'json',
    });
    expect(res.code).toBe(0);
    const records = readAllLines(dir, 'crash-test').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(20);
    expect(records[3]).toMatchObject({
      level: 30,
      app: 'crash-test',
      msg: 'order filled',
      seq: 3,
      orderId: 1_000_003,
    });
    expect(typeof records[3]!.time).toBe('number');
  });
});

describe('a critical app whose log file cannot be opened at start refuses to start', () => {
  it.each([
    ['a file in the way of the log dir', 'ENOTDIR'],
    ['a directory in the place of the log file', 'EISDIR'],
  ])(
    '%s: exit 2, one line naming the path and the reason; LOG_FILE_ENABLED=false runs it without a file',
    async (what, code) => {
      const dir = tempDir();
      let logDir = dir;
      let file = path.join(dir, 'crash-test.log');
      if (what.startsWith('a file')) {
        fs.writeFileSync(path.join(dir, 'not-a-dir'), '');
        logDir = path.join(dir, 'not-a-dir', 'logs');
        file = path.join(logDir, 'crash-test.log');
      } else fs.mkdirSync(file);
      const res = await runFixture('test/fixtures/emit.ts', ['exit', '50', 'console'], { LOG_DIR: logDir });
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^crash-test: cannot open the log file ${file} \\(${code}: .*LOG_FILE_ENABLED=false`),
        ),
      ]);
      expect(res.stdout).not.toMatch(/order filled/);

      const without = await runFixture('test/fixtures/emit.ts', ['exit', '50', 'console'], {
        LOG_DIR: logDir,
        LOG_FILE_ENABLED: 'false',
      });
      expect(without.code).toBe(0);
      expect(without.stdout.match(/order filled/g)).toHaveLength(50);
    },
  );

  it.each([
    ['LOG_LEVEL', 'loud', /use one of trace, debug/],
    ['LOG_FILE_ENABLED', 'maybe', /use true or false/],
    ['LOG_FILE_FORMAT', 'ndjson', /use one of compact, verbose, json/],
  ])('%s=%s: one line naming the variable and the value, exit 2, no stack', async (name, value, allowed) => {
    const res = await runFixture('test/fixtures/emit.ts', ['exit', '5'], {
      LOG_DIR: tempDir(),
      [name]: value,
    });
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`crash-test: ${name}="${value}" is not valid`);
    expect(lines[0]).toMatch(allowed);
  });
});

describe('disk trouble after the start never crashes the app', () => {
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

describe('trouble that starts later', () => {
  it('the log directory deleted while the app runs: reported as deleted, the lines written again to a new file', async () => {
    const dir = path.join(tempDir(), 'logs');
    const res = await runFixture('test/fixtures/disk-trouble.ts', ['deleted'], { LOG_DIR: dir });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`the log directory ${dir} was deleted`);
    expect(res.stderr).not.toMatch(/short write/);
    const lines = fs.readFileSync(path.join(dir, 'disk-test.log'), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => Number(/seq=(\d+)/.exec(l)?.[1]))).toEqual(
      Array.from({ length: 300 }, (_, i) => 100 + i),
    );
  });

  it('flushLogs() while the disk refuses writes reports the file, what it holds and why', async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/disk-trouble.ts', ['report'], { LOG_DIR: dir });
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    expect(report.complete).toBe(false);
    expect(report.unwritten).toEqual([
      {
        file: path.join(dir, 'disk-test.log'),
        bytes: expect.any(Number),
        droppedLines: 0,
        reason: expect.stringMatching(/^ENOSPC/),
      },
    ]);
    expect(report.unwritten[0].bytes).toBeGreaterThan(1000);
  });
});
