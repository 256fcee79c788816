import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { captureConsole, createLogger, flushLogs, parseLogLine } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('captureConsole', () => {
  it("puts a library's console lines in the app's file, with their level, source=console and secrets redacted", async () => {
    const dir = tempDir();
    const logger = createLogger({
      appName: 'console-app',
      critical: true,
      logDir: dir,
      enableConsoleLogging: false,
    });
    const original = console.log;
    const stdout = vi.spyOn(process.stdout, 'write');
    const restore = captureConsole(logger);
    try {
      // What @drift-labs/sdk writes: a resubscribe notice, and an RPC error carrying its URL.
      console.log('No ws data from %s in %dms, resubscribing', 'userMap', 30_000);
      console.warn('resubTimeoutMs should be at least 1000ms');
      console.error('Error in bulkAccountLoader.load()');
      console.error(new Error('fetch failed: https://mainnet.helius-rpc.com/?api-key=0123456789abcdef'));
      console.debug('below the level: dropped');
    } finally {
      restore();
      stdout.mockRestore();
    }
    expect(console.log).toBe(original);
    expect(stdout).not.toHaveBeenCalled();
    await flushLogs();

    const text = fs.readFileSync(path.join(dir, 'console-app.log'), 'utf8');
    const records = text
      .split('\n')
      .map((l) => parseLogLine(l))
      .filter((r) => r !== undefined);
    expect(records.map((r) => [r.level, r.msg, r.fields.source])).toEqual([
      ['info', 'No ws data from userMap in 30000ms, resubscribing', 'console'],
      ['warn', 'resubTimeoutMs should be at least 1000ms', 'console'],
      ['error', 'Error in bulkAccountLoader.load()', 'console'],
      ['error', 'fetch failed: https://mainnet.helius-rpc.com/?api-key=[redacted]', 'console'],
    ]);
    expect(text).toMatch(/\n {4}at /); // the error's stack, indented under its record
    expect(text).not.toContain('0123456789abcdef');
  });

  it('a second capture replaces the first; restoring it gives the console back', () => {
    const original = console.error;
    const a = createLogger({ appName: 'console-a', critical: false, logLevel: 'silent' });
    const b = createLogger({ appName: 'console-b', critical: false, logLevel: 'silent' });
    captureConsole(a);
    const restore = captureConsole(b);
    expect(console.error).not.toBe(original);
    restore();
    expect(console.error).toBe(original);
  });
});
