/**
 * The JSON lines a log shipper (Loki's promtail, Vector, an OpenTelemetry collector) ingests: with
 * `LOG_FORMAT=json` every console record is one JSON object carrying time, level, app, component,
 * msg and orderId, the same record the compact file holds, so one order can be followed across
 * apps in any backend as `drift-logs tail --field orderId=...` does locally.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogLine } from '@drift/logging';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './fleet-fixture.js';
import { PKG } from './paper-fleet.js';

const dir = tempDir('shipping-');
afterAll(() => removeDir(dir));

/** pino's numeric levels, as a shipper maps them (README, "Shipping logs"). */
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

function runApp(app: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'test/fixtures/order-logger.ts', app],
      { cwd: PKG, env: { ...process.env, LOG_FORMAT: 'json', LOG_DIR: dir, NO_COLOR: '1' } },
      (err, stdout, stderr) => (err ? reject(err) : resolve(stdout + stderr)),
    );
  });
}

describe('logs as a shipper reads them (LOG_FORMAT=json)', () => {
  it('gives every record time, level, app, component, msg and orderId as JSON fields', async () => {
    const output = await runApp('jit-mm-swift');
    const records = output
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(typeof r.time).toBe('number'); // epoch milliseconds
      expect(LEVELS[r.level as number]).toBeDefined();
      expect(r.app).toBe('jit-mm-swift');
      expect(typeof r.msg).toBe('string');
    }
    expect(records[0]).toMatchObject({ level: 30, component: 'orders', orderId: '42', msg: 'Order placed' });
    expect(records[1]).toMatchObject({ level: 40, component: 'orders', orderId: '42', msg: 'Order amended' });
    expect(records[3]).toMatchObject({ level: 50, orderId: '42', msg: 'Cancel failed' });
    expect((records[3]!.err as { message: string }).message).toBe('venue timeout');

    // The app's own file holds the same records (compact), read back with @drift/logging's parser.
    const fileRecords = readFileSync(join(dir, 'jit-mm-swift.log'), 'utf8')
      .split('\n')
      .map((l) => parseLogLine(l))
      .filter((l) => l !== undefined);
    expect(fileRecords.map((l) => [l.level, l.msg, String(l.fields.orderId)])).toEqual(
      records.map((r) => [LEVELS[r.level as number], r.msg, r.orderId]),
    );
  });

  it('lets one order be followed across apps by its orderId field', async () => {
    const lines = [...(await runApp('jit-mm-swift')).split('\n'), ...(await runApp('hedge-bot')).split('\n')]
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { app: string; orderId?: string; msg: string });
    const order42 = lines.filter((r) => r.orderId === '42');
    expect(order42.map((r) => `${r.app}: ${r.msg}`)).toEqual([
      'jit-mm-swift: Order placed',
      'jit-mm-swift: Order amended',
      'jit-mm-swift: Cancel failed',
      'hedge-bot: Order placed',
      'hedge-bot: Order amended',
      'hedge-bot: Cancel failed',
    ]);
  });
});
