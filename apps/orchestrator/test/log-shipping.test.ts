/**
 * The JSON lines a log shipper (Loki's promtail, Vector, an OpenTelemetry collector) ingests: with
 * `LOG_FORMAT=json` every console record is one JSON object carrying time, level, app, component,
 * msg and orderId, the same record the compact file holds, so one order can be followed across
 * apps in any backend as `drift-logs tail --field orderId=...` does locally. Under pm2 and systemd
 * the shipper tails the file instead: `LOG_FILE_FORMAT=json` writes the same records there, and
 * the fleet's own readers (drift-logs, the orchestrator's error-line metric) read that file too.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogLine } from '@drift/logging';
import { afterAll, describe, expect, it } from 'vitest';
import { LogFeed } from '../src/log-feed.js';
import { parseAppLogLine } from '../src/log-lines.js';
import { createFleetMetrics } from '../src/metrics.js';
import { fixtureFleet, removeDir, tempDir } from './fleet-fixture.js';
import { PKG, ROOT } from './paper-fleet.js';

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

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script, ...args],
      { cwd: PKG, env: { ...process.env, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) => (err ? reject(err) : resolve(stdout + stderr)),
    );
  });
}

const runApp = (app: string, env: NodeJS.ProcessEnv = { LOG_FORMAT: 'json', LOG_DIR: dir }) =>
  run('test/fixtures/order-logger.ts', [app], env);

/** The drift-logs CLI (from source), as an operator runs it. */
const driftLogs = (...args: string[]) => run(join(ROOT, 'packages/log-tools/src/cli.ts'), args, {});

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

describe('the log file as a shipper tails it (LOG_FILE_FORMAT=json, as under pm2 or systemd)', () => {
  const fileDir = join(dir, 'json-files');
  const records = (app: string) =>
    readFileSync(join(fileDir, `${app}.log`), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('holds one JSON object per record with time, level, app, component, msg and orderId', async () => {
    // The console stays human (verbose): only the file is JSON.
    const output = await runApp('hedge-bot', { LOG_DIR: fileDir, LOG_FILE_FORMAT: 'json' });
    expect(output).toMatch(/\| hedge-bot \| INFO \| .*Order placed/);
    const file = records('hedge-bot');
    expect(file).toHaveLength(4);
    for (const r of file) {
      expect(typeof r.time).toBe('number');
      expect(LEVELS[r.level as number]).toBeDefined();
      expect(r.app).toBe('hedge-bot');
    }
    expect(file[0]).toMatchObject({ level: 30, component: 'orders', orderId: '42', msg: 'Order placed' });
    expect(file[3]).toMatchObject({ level: 50, orderId: '42', msg: 'Cancel failed' });
    // The stack stays inside the record: a shipper gets one event, not one per stack line.
    expect((file[3]!.err as { stack: string }).stack).toMatch(/^Error: venue timeout\n\s+at /);
  });

  it('is followed by drift-logs tail --field orderId and --level, as a compact file is', async () => {
    await runApp('jit-mm-swift', { LOG_DIR: fileDir, LOG_FILE_FORMAT: 'json' });
    const tail = (...flags: string[]) =>
      driftLogs('tail', '--log-dir', fileDir, '--since', '1h', '--json', ...flags).then((out) =>
        out
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as { app: string; level: string; msg: string }),
      );
    const order42 = await tail('--field', 'orderId=42');
    expect(order42.map((r) => `${r.app}: ${r.msg}`).sort()).toEqual([
      'hedge-bot: Cancel failed',
      'hedge-bot: Order amended',
      'hedge-bot: Order placed',
      'jit-mm-swift: Cancel failed',
      'jit-mm-swift: Order amended',
      'jit-mm-swift: Order placed',
    ]);
    expect((await tail('--level', 'warn', 'jit-mm-swift')).map((r) => [r.level, r.msg])).toEqual([
      ['warn', 'Order amended'],
      ['error', 'Cancel failed'],
    ]);
  });

  it("feeds the orchestrator's error-line metric through the feed main.ts wires", async () => {
    const fleet = fixtureFleet(
      { 'hedge-bot': { kind: 'bot', subAccount: 2 } },
      { record: join(dir, 'r.jsonl') },
    );
    const metrics = createFleetMetrics(fleet);
    const feed = new LogFeed(['hedge-bot'], {
      fileOf: (app) => join(fileDir, `${app}.log`),
      parse: parseAppLogLine,
      onProblem: metrics.onLogProblem,
      tailBytes: 1 << 20,
    });
    feed.poll();
    expect(feed.problems().map((p) => `${p.level}: ${p.msg}`)).toEqual([
      'warn: Order amended',
      'error: Cancel failed',
    ]);
    const text = await metrics.registry.getSingleMetricAsString('drift_app_log_problems_total');
    expect(text).toContain('drift_app_log_problems_total{app="hedge-bot",level="error"} 1');
    expect(text).toContain('drift_app_log_problems_total{app="hedge-bot",level="warn"} 1');
  });
});
