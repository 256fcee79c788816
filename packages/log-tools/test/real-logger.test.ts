// The tools read what @drift/logging really writes: compact and json files from its own logger.
import { closeLogs, flushLogs, setupCriticalLogging } from '@drift/logging';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTemps, tempDir } from './helpers.js';

afterEach(async () => {
  await closeLogs();
  removeTemps();
});

describe('drift-logs on files written by @drift/logging', () => {
  it('tails one order across a compact and a json app, stack included, and monitor counts the errors', async () => {
    const logDir = tempDir('real');
    const hedge = setupCriticalLogging('hedge-bot', {
      logDir,
      enableConsoleLogging: false,
      fileFormat: 'compact',
    });
    const jit = setupCriticalLogging('jit-mm-swift', {
      logDir,
      enableConsoleLogging: false,
      fileFormat: 'json',
    });
    jit.info({ market: 'SOL-PERP', orderId: 42 }, 'taker order seen');
    hedge.info({ market: 'SOL-PERP', orderId: 41 }, 'hedge placed');
    hedge.error({ err: new Error('venue rejected'), orderId: 42 }, 'hedge failed');
    jit.error({ orderId: 42 }, 'fill reverted');
    await flushLogs();

    const tail = await cli('tail', '--log-dir', logDir, '--since', '1h', '--field', 'orderId=42');
    const lines = tail.stdout.trimEnd().split('\n');
    const failed = lines.findIndex((l) => / \| hedge-bot \| ERROR \| hedge failed orderId=42$/.test(l));
    expect(lines[failed + 1]).toMatch(/^ {4}Error: venue rejected/); // the stack stays with its record
    expect(lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).msg)).toEqual([
      'taker order seen',
      'fill reverted',
    ]);
    expect(tail.stdout).not.toContain('hedge placed');

    // --level reads the json file's numeric level; --json re-renders its records like compact ones.
    const jitErrors = await cli('tail', 'jit-mm-swift', '--log-dir', logDir, '--level', 'error');
    expect(
      jitErrors.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).msg),
    ).toEqual(['fill reverted']);
    const asJson = await cli('tail', '--log-dir', logDir, '--since', '1h', '--level', 'error', '--json');
    expect(
      asJson.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((r) => [r.app, r.level, r.msg, r.fields.orderId]),
    ).toEqual([
      ['hedge-bot', 'error', 'hedge failed', '42'],
      ['jit-mm-swift', 'error', 'fill reverted', 42],
    ]);

    const monitor = await cli(
      'monitor',
      '--log-dir',
      logDir,
      '--app',
      'hedge-bot',
      '--app',
      'jit-mm-swift',
      '--json',
    );
    const apps = JSON.parse(monitor.stdout).apps;
    expect(apps.map((a: { errorsLastHour: number }) => a.errorsLastHour)).toEqual([1, 1]);
    expect(monitor.code).toBe(1);
  });
});
