/**
 * No line lost, whatever ends the process: each case logs a burst of 50,000 numbered lines and ends
 * in the same tick; every line must be on disk exactly once, whole, and the process must end the
 * way it would have without the logger (exit code, signal).
 */

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPACT_LINE, type RunResult, readAllLines, runFixture, tempDir } from './helpers.js';

const BURST = 50_000;

function checkAllLines(dir: string, count: number) {
  const lines = readAllLines(dir, 'crash-test').filter((l) => l.includes('order filled'));
  const seqs = lines.map((l) => Number(/ seq=(\d+) /.exec(l)?.[1]));
  expect(lines.length).toBe(count);
  expect(new Set(seqs).size).toBe(count);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // in order, never interleaved
  for (const line of lines) {
    expect(line).toMatch(COMPACT_LINE);
    expect(line.endsWith('note=é€😀')).toBe(true); // whole lines, multi-byte characters intact
  }
}

describe('a burst of 50,000 lines followed at once by', () => {
  it.each([
    ['a normal exit', 'exit', { code: 0, signal: null }],
    ['process.exit(3)', 'process-exit', { code: 3, signal: null }],
    ['SIGTERM', 'SIGTERM', { code: null, signal: 'SIGTERM' }],
    ['SIGINT', 'SIGINT', { code: null, signal: 'SIGINT' }],
    ['an uncaught exception', 'uncaught', { code: 1, signal: null }],
    ['an unhandled rejection', 'rejection', { code: 1, signal: null }],
  ] as const)(
    '%s: every line is on disk and the process ends as it would have',
    async (_name, mode, ending) => {
      const dir = tempDir();
      const res = await runFixture('test/fixtures/emit.ts', [mode, String(BURST)], { LOG_DIR: dir });
      expect({ code: res.code, signal: res.signal }).toEqual(ending);
      checkAllLines(dir, BURST);
      if (mode === 'uncaught' || mode === 'rejection') {
        const fatal = readAllLines(dir, 'crash-test').filter((l) => l.includes('| FATAL |'));
        expect(fatal).toHaveLength(1);
        expect(res.stderr).toMatch(/boom after the burst|rejected after the burst/); // Node still prints it
      }
    },
  );

  it.each([
    ['process.exit(0)', 'close-exit', { code: 0, signal: null }],
    ['SIGTERM', 'close-SIGTERM', { code: null, signal: 'SIGTERM' }],
    ['an uncaught exception', 'close-uncaught', { code: 1, signal: null }],
  ] as const)(
    'closeLogs() begun, then %s before it resolved: every line is on disk, the ending unchanged',
    async (_name, mode, ending) => {
      const dir = tempDir();
      const res = await runFixture('test/fixtures/emit.ts', [mode, String(BURST)], { LOG_DIR: dir });
      expect({ code: res.code, signal: res.signal }).toEqual(ending);
      checkAllLines(dir, BURST);
    },
  );

  it('closeLogs() resolved, then SIGTERM with nothing else running: the process dies of the signal (143), not exit 0', async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/emit.ts', ['closed-SIGTERM', '1000'], { LOG_DIR: dir });
    expect({ code: res.code, signal: res.signal }).toEqual({ code: null, signal: 'SIGTERM' });
    checkAllLines(dir, 1000);
  });

  it("SIGTERM with the app's own handler: the logger flushes and lets the app decide", async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/emit.ts', ['SIGTERM', '20000', 'own-handler'], {
      LOG_DIR: dir,
    });
    expect(res.code).toBe(7);
    checkAllLines(dir, 20_000);
    expect(readAllLines(dir, 'crash-test').at(-1)).toMatch(/own handler: shutting down$/);
  });

  it("an uncaught exception with the app's own handler: one FATAL line (the app's), every line on disk, the app decides", async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/emit.ts', ['uncaught', '20000', 'own-handler'], {
      LOG_DIR: dir,
    });
    expect(res.code).toBe(5);
    checkAllLines(dir, 20_000);
    const fatal = readAllLines(dir, 'crash-test').filter((l) => l.includes('| FATAL |'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/own handler: uncaught, shutting down/);
  });

  it('two live processes of one app: the second writes <app>.<pid>.log; SIGTERM from outside loses nothing', async () => {
    const dir = tempDir();
    let second: Promise<RunResult> | undefined;
    const first = runFixture('test/fixtures/emit.ts', ['stay', '20000'], { LOG_DIR: dir }, (_m, child) => {
      // The first process holds the lock and is still running: start the second, then stop the first.
      second = runFixture('test/fixtures/emit.ts', ['exit', '1000'], { LOG_DIR: dir });
      void second.then(() => child.kill('SIGTERM'));
    });
    const firstRes = await first;
    const secondRes = await second!;
    expect(firstRes.signal).toBe('SIGTERM');
    expect(secondRes.code).toBe(0);
    expect(secondRes.stderr).toMatch(
      /crash-test\.log is already written by process \d+; this process \(\d+\) writes/,
    );
    const firstLines = fs.readFileSync(path.join(dir, 'crash-test.log'), 'utf8').split('\n').filter(Boolean);
    expect(firstLines.map((l) => Number(/ seq=(\d+) /.exec(l)?.[1]))).toEqual(
      Array.from({ length: 20_000 }, (_, i) => i),
    );
    const own = fs.readdirSync(dir).filter((f) => /^crash-test\.\d+\.log$/.test(f));
    expect(own).toHaveLength(1);
    const secondLines = fs.readFileSync(path.join(dir, own[0]!), 'utf8').split('\n').filter(Boolean);
    expect(secondLines).toHaveLength(1000);
  });

  it('rotation under load: every line in exactly one file, no file split a line', async () => {
    const dir = tempDir();
    const res = await runFixture('test/fixtures/emit.ts', ['exit', '30000'], {
      LOG_DIR: dir,
      TEST_MAX_SIZE: '200000',
    });
    expect(res.code).toBe(0);
    checkAllLines(dir, 30_000);
  });
});

describe('rotation under a flood (the synchronous overflow path)', () => {
  it('2,000 lines per event-loop turn, 520,000 lines: every file within the size limit, every line once, in order', async () => {
    const dir = tempDir();
    const maxSize = 2 * 1024 * 1024;
    const res = await runFixture('test/fixtures/emit.ts', ['flood', '520000', '2000'], {
      LOG_DIR: dir,
      TEST_MAX_SIZE: String(maxSize),
    });
    expect(res.code).toBe(0);
    const sizes = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('crash-test.log'))
      .filter((f) => !f.endsWith('.lock'))
      .map((f) => [f, fs.statSync(path.join(dir, f)).size] as const);
    // Some 70 MB: past the 32 MB the sink holds before the caller writes synchronously.
    expect(sizes.reduce((sum, [, size]) => sum + size, 0)).toBeGreaterThan(60 * 1024 * 1024);
    for (const [file, size] of sizes)
      expect({ file, size: size <= maxSize + 64 * 1024 }).toEqual({ file, size: true });
    checkAllLines(dir, 520_000);
  }, 120_000);
});
