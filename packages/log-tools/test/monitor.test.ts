import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliWithUnreadable, compactLine, jsonLine, removeTemps, tempDir, writeLog } from './helpers.js';

afterEach(removeTemps);

const MIN = 60_000;
const DAY = 86_400_000;

function freshLog(dir: string, app: string, lines = 5): void {
  const now = Date.now();
  writeLog(
    path.join(dir, `${app}.log`),
    Array.from({ length: lines }, (_, i) =>
      compactLine(now - (lines - i) * 1000, app, 'INFO', `tick n=${i}`),
    ),
  );
}

async function monitor(dir: string, ...args: string[]) {
  const res = await cli('monitor', '--log-dir', dir, '--app', 'hedge-bot', ...args);
  return { ...res, json: res.stdout.startsWith('{') ? JSON.parse(res.stdout) : undefined };
}

const codes = (json: { apps: { checks: { code: string }[] }[] }) => json.apps[0]!.checks.map((c) => c.code);

describe('drift-logs monitor verdicts', () => {
  it('is healthy (exit 0) for a fresh log with no errors', async () => {
    const dir = tempDir('mon');
    freshLog(dir, 'hedge-bot');
    const { code, stdout } = await monitor(dir);
    expect(stdout).toMatch(/^ok {7}hedge-bot: 1 file\(s\), 0\.0 MB, last line \d+s ago, 0 error \/ 0 fatal/m);
    expect(stdout).toContain('Overall: ok');
    expect(code).toBe(0);
  });

  it('warns (exit 1) when the last line is older than --stale', async () => {
    const dir = tempDir('mon');
    writeLog(path.join(dir, 'hedge-bot.log'), [
      compactLine(Date.now() - 40 * MIN, 'hedge-bot', 'INFO', 'tick'),
    ]);
    const { code, json } = await monitor(dir, '--json', '--stale', '30m');
    expect(codes(json)).toEqual(['stale']);
    expect(code).toBe(1);
    expect((await monitor(dir, '--stale', '1h')).code).toBe(0);
  });

  it('reports a missing log file as a warning', async () => {
    const { code, json } = await monitor(tempDir('mon'), '--json');
    expect(codes(json)).toEqual(['missing']);
    expect(code).toBe(1);
  });

  it('is critical (exit 2) when the current file is far past the rotation limit', async () => {
    const dir = tempDir('mon');
    const line = `${compactLine(Date.now() - 1000, 'hedge-bot', 'INFO', 'order filled market=SOL-PERP orderId=1')}\n`;
    fs.writeFileSync(
      path.join(dir, 'hedge-bot.log'),
      line.repeat(Math.ceil((21 * 1024 * 1024) / line.length)),
    );
    const { code, json } = await monitor(dir, '--json');
    expect(codes(json)).toEqual(['oversize']);
    expect(json.apps[0].checks[0].message).toMatch(
      /hedge-bot\.log is 21\.\d MB, over the 10\.0 MB rotation limit/,
    );
    expect(code).toBe(2);
  });

  it('counts too many backups; --dry-run deletes nothing, the default run deletes the oldest', async () => {
    const dir = tempDir('mon');
    freshLog(dir, 'hedge-bot');
    const now = Date.now();
    for (let i = 1; i <= 8; i++) writeLog(path.join(dir, `hedge-bot.log.${i}`), ['x'], now - i * 60 * MIN);
    const dry = await monitor(dir, '--dry-run');
    expect(dry.stdout).toContain('warning: 8 rotated files, more than the 5 kept');
    expect(dry.stdout).toContain('would delete hedge-bot.log.6');
    expect(dry.code).toBe(1);
    expect(fs.readdirSync(dir)).toHaveLength(9);

    const real = await monitor(dir);
    expect(real.stdout).toContain('deleted hedge-bot.log.8');
    expect(real.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'hedge-bot.log',
      ...[1, 2, 3, 4, 5].map((i) => `hedge-bot.log.${i}`),
    ]);
  });

  it('is over the cap while extra backups make it so, and healthy once maintenance deleted them', async () => {
    const dir = tempDir('mon');
    freshLog(dir, 'hedge-bot');
    const now = Date.now();
    const big = Buffer.alloc(9 * 1024 * 1024, 'x');
    for (let i = 1; i <= 7; i++) {
      fs.writeFileSync(path.join(dir, `hedge-bot.log.${i}`), big);
      fs.utimesSync(path.join(dir, `hedge-bot.log.${i}`), new Date(now - i * MIN), new Date(now - i * MIN));
    }
    const dry = await monitor(dir, '--json', '--dry-run');
    expect(codes(dry.json)).toEqual(['too-many-backups', 'over-cap']);
    expect(dry.code).toBe(1);
    const run = await monitor(dir, '--json');
    expect(run.json.maintenance.deletions.map((d: { file: string }) => d.file)).toEqual([
      'hedge-bot.log.6',
      'hedge-bot.log.7',
    ]);
    expect(run.code).toBe(0);
  });

  it('deletes rotated files past retention but never the current file', async () => {
    const dir = tempDir('mon');
    const now = Date.now();
    writeLog(
      path.join(dir, 'hedge-bot.log'),
      [compactLine(now - 9 * DAY, 'hedge-bot', 'INFO', 'old')],
      now - 9 * DAY,
    );
    writeLog(path.join(dir, 'hedge-bot.log.1'), ['x'], now - 8 * DAY);
    writeLog(path.join(dir, 'hedge-bot.log.2'), ['x'], now - 2 * DAY);
    const { json } = await monitor(dir, '--json', '--dry-run');
    expect(codes(json)).toEqual(['stale', 'expired']);
    expect(fs.readdirSync(dir)).toHaveLength(3);
    const run = await monitor(dir, '--json');
    expect(run.json.maintenance.deletions).toEqual([{ file: 'hedge-bot.log.1', done: true }]);
    expect(fs.readdirSync(dir).sort()).toEqual(['hedge-bot.log', 'hedge-bot.log.2']);
  });

  it('is critical on an error burst in the last hour, ignoring older errors', async () => {
    const dir = tempDir('mon');
    const now = Date.now();
    const old = Array.from({ length: 300 }, (_, i) =>
      compactLine(now - 3 * 60 * MIN + i, 'hedge-bot', 'ERROR', 'old'),
    );
    const recent = Array.from({ length: 150 }, (_, i) =>
      compactLine(now - 151_000 + i * 1000, 'hedge-bot', i % 3 ? 'ERROR' : 'INFO', 'send failed orderId=7'),
    );
    writeLog(path.join(dir, 'hedge-bot.log'), [...old, ...recent]);
    const { code, json } = await monitor(dir, '--json', '--error-burst', '50');
    expect(json.apps[0].errorsLastHour).toBe(100);
    expect(codes(json)).toEqual(['error-burst']);
    expect(code).toBe(2);
    expect((await monitor(dir, '--json', '--error-burst', '500')).code).toBe(1);
  });

  it('counts ERROR and FATAL in json lines, across the current and a rotated file', async () => {
    const dir = tempDir('mon');
    const now = Date.now();
    writeLog(
      path.join(dir, 'hedge-bot.log.1'),
      [
        jsonLine(now - 2 * 60 * MIN, 'hedge-bot', 'ERROR', 'too old'),
        jsonLine(now - 50 * MIN, 'hedge-bot', 'ERROR', 'recent', { err: { message: '"level":50 in text' } }),
      ],
      now - 50 * MIN,
    );
    writeLog(path.join(dir, 'hedge-bot.log'), [
      jsonLine(now - 10 * MIN, 'hedge-bot', 'INFO', 'says "level":50 but is info'),
      jsonLine(now - 5 * MIN, 'hedge-bot', 'ERROR', 'recent'),
      jsonLine(now - 1000, 'hedge-bot', 'FATAL', 'halt'),
    ]);
    const { code, json } = await monitor(dir, '--json');
    expect(json.apps[0].errorsLastHour).toBe(2);
    expect(json.apps[0].fatalLastHour).toBe(1);
    expect(code).toBe(2);
  });

  it('is critical when the log dir has less free disk than --min-free', async () => {
    const dir = tempDir('mon');
    freshLog(dir, 'hedge-bot');
    const { code, json } = await monitor(dir, '--json', '--min-free', '1000000GB');
    expect(json.disk.verdict).toBe('critical');
    expect(json.disk.freeBytes).toBeGreaterThan(0);
    expect(code).toBe(2);
  });

  it('--maintenance-only cleans up quietly', async () => {
    const dir = tempDir('mon');
    freshLog(dir, 'hedge-bot');
    writeLog(path.join(dir, 'hedge-bot.log.1'), ['x'], Date.now() - 10 * DAY);
    const { code, stdout } = await monitor(dir, '--maintenance-only');
    expect(stdout).toBe('');
    expect(code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['hedge-bot.log']);
  });
});

describe('drift-logs monitor bad input', () => {
  it('names a bad flag value', async () => {
    const { code, stderr } = await cli('monitor', '--log-dir', tempDir('mon'), '--stale', 'soon');
    expect(code).toBe(3);
    expect(stderr).toContain('--stale "soon": expected a duration like 30s, 10m, 2h or 7d');
  });

  it('names a missing log dir', async () => {
    const { code, stderr } = await cli('monitor', '--log-dir', '/nonexistent/logs');
    expect(code).toBe(3);
    expect(stderr).toContain('log dir /nonexistent/logs does not exist');
  });

  it('names an unknown app', async () => {
    const { code, stderr } = await cli('monitor', '--log-dir', tempDir('mon'), '--app', 'moon-bot');
    expect(code).toBe(3);
    expect(stderr).toContain('unknown app "moon-bot"');
  });

  it('names an unreadable log file', () => {
    const dir = tempDir('unreadable');
    const file = path.join(dir, 'hedge-bot.log');
    writeLog(file, [compactLine(Date.now(), 'hedge-bot', 'INFO', 'secret-less line')]);
    const { code, stderr } = cliWithUnreadable(file, 'monitor', '--log-dir', dir, '--app', 'hedge-bot');
    expect(stderr).toContain(`cannot read log file ${file}: EACCES`);
    expect(code).toBe(3);
  });
});
