import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFlagsFor } from '../src/app-command.js';
import {
  LOG_ROUTINES,
  nextRunAt,
  ROUTINE_TEXTFILE_ENV,
  routineNamed,
  routineTextfilePath,
  writeRoutineResult,
} from '../src/log-routine.js';
import { LogRoutineScheduler } from '../src/log-routine-scheduler.js';
import { createFleetMetrics } from '../src/metrics.js';
import { fixtureFleet, removeDir, tempDir } from './fleet-fixture.js';
import { quietLogger } from './quiet-logger.js';
import { onPath, skipReason } from './tools.js';

const promtool = onPath('promtool');
const noPromtool = skipReason(promtool, 'promtool', 'prometheus');

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('the log routine schedule (UTC)', () => {
  const daily = routineNamed('daily')!;
  const weekly = routineNamed('weekly')!;
  const monthly = routineNamed('monthly')!;

  it('runs the health check daily, maintenance on Mondays and the audit on the 1st', () => {
    expect(LOG_ROUTINES.map((r) => [r.name, r.args.join(' ')])).toEqual([
      ['daily', 'monitor --dry-run'],
      ['weekly', 'monitor --maintenance-only'],
      ['monthly', 'audit'],
    ]);
    expect(iso(nextRunAt(daily, at('2026-12-07T05:59:00Z')))).toBe('2026-12-07T06:00:00.000Z');
    expect(iso(nextRunAt(daily, at('2026-12-07T06:00:00Z')))).toBe('2026-12-08T06:00:00.000Z');
    // 2026-12-07 is a Monday: past 06:30, the next is a week later.
    expect(iso(nextRunAt(weekly, at('2026-12-07T07:00:00Z')))).toBe('2026-12-14T06:30:00.000Z');
    expect(iso(nextRunAt(weekly, at('2026-12-09T00:00:00Z')))).toBe('2026-12-14T06:30:00.000Z');
    expect(iso(nextRunAt(monthly, at('2026-12-01T08:00:00Z')))).toBe('2027-01-01T07:00:00.000Z');
    expect(iso(nextRunAt(monthly, at('2026-11-30T23:00:00Z')))).toBe('2026-12-01T07:00:00.000Z');
  });
});

describe('a routine run by the orchestrator', () => {
  const dir = tempDir('routine-');
  afterAll(() => removeDir(dir));

  it('runs drift-logs, and its exit code and time reach the metrics', async () => {
    const logDir = join(dir, 'logs');
    const dataDir = join(dir, 'data');
    mkdirSync(logDir, { recursive: true });
    // Something for the monitor to look at (and for drift_log_dir_bytes to count).
    writeFileSync(join(logDir, 'hedge-bot.log'), 'not a log line\n');
    process.env.LOG_DIR = logDir;
    process.env.DRIFT_DATA_DIR = dataDir;
    const fleet = fixtureFleet(
      { 'hedge-bot': { kind: 'bot', subAccount: 2 } },
      { record: join(dir, 'r.jsonl') },
    );
    const metrics = createFleetMetrics(fleet, { logDir, dataDir });
    const before = await metrics.registry.getSingleMetricAsString('drift_log_routine_last_exit_code');
    expect(before).not.toMatch(/routine="daily"/);

    const started = Date.now();
    const scheduler = new LogRoutineScheduler(quietLogger(), 'ignore');
    const exitCode = await scheduler.run(routineNamed('daily')!);
    scheduler.stop();
    expect([0, 1, 2]).toContain(exitCode);

    const text = await metrics.registry.metrics();
    expect(text).toContain(`drift_log_routine_last_exit_code{routine="daily"} ${exitCode}`);
    const ranAt = Number(
      /drift_log_routine_last_run_timestamp_seconds\{routine="daily"\} ([\d.]+)/.exec(text)?.[1],
    );
    expect(ranAt * 1000).toBeGreaterThanOrEqual(started);
    expect(text).toMatch(/drift_log_dir_bytes 15/); // "not a log line\n"
  }, 60_000);
});

describe('a routine run with no orchestrator (pm2, systemd, a CronJob): the Prometheus textfile', () => {
  const dir = tempDir('routine-textfile-');
  afterAll(() => removeDir(dir));
  const runner = fileURLToPath(new URL('../src/log-routine-main.ts', import.meta.url));
  const run = (routine: string, env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [...nodeFlagsFor(runner), runner, routine], {
      env: { ...process.env, LOG_DIR: join(dir, 'logs'), DRIFT_DATA_DIR: join(dir, 'data'), ...env },
      encoding: 'utf8',
    });

  it('defaults to the data dir, beside the result files', () => {
    expect(routineTextfilePath('/var/lib/drift/data', {})).toBe(
      '/var/lib/drift/data/log-routine/drift_log_routine.prom',
    );
  });

  it.skipIf(!promtool)(
    `holds every routine's last exit code and time, and promtool check metrics accepts it${noPromtool}`,
    () => {
      mkdirSync(join(dir, 'logs'), { recursive: true });
      writeFileSync(join(dir, 'logs', 'hedge-bot.log'), 'not a log line\n');
      // An earlier weekly run: the file carries it on, as the collector replaces the whole file.
      writeRoutineResult(join(dir, 'data'), {
        routine: 'weekly',
        exitCode: 0,
        at: 1_765_000_000_500,
        durationMs: 9,
      });
      const collector = join(dir, 'node-exporter-textfiles');
      const file = join(collector, 'drift_log_routine.prom');
      const started = Date.now();
      const res = run('daily', { [ROUTINE_TEXTFILE_ENV]: file });
      expect([0, 1, 2]).toContain(res.status);

      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`drift_log_routine_last_exit_code{routine="daily"} ${res.status}`);
      expect(text).toContain('drift_log_routine_last_exit_code{routine="weekly"} 0');
      expect(text).toContain('drift_log_routine_last_run_timestamp_seconds{routine="weekly"} 1765000000.5');
      const ranAt = Number(/_timestamp_seconds\{routine="daily"\} ([\d.]+)/.exec(text)?.[1]);
      expect(ranAt * 1000).toBeGreaterThanOrEqual(started);
      expect(ranAt * 1000).toBeLessThanOrEqual(Date.now());
      expect(readdirSync(collector)).toEqual(['drift_log_routine.prom']); // no temp file left behind

      const check = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
      // The check bites: a torn file is refused.
      const torn = spawnSync(promtool!, ['check', 'metrics'], { input: text.slice(0, -8), encoding: 'utf8' });
      expect(torn.status).not.toBe(0);
    },
    60_000,
  );

  it('refuses a textfile the collector would never read: one line, exit 2, nothing run', () => {
    const res = run('monthly', { [ROUTINE_TEXTFILE_ENV]: 'routine.txt' });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`log-routine: ${ROUTINE_TEXTFILE_ENV}="routine.txt" is not valid`),
    ]);
    expect(existsSync(join(dir, 'data', 'log-routine', 'monthly.json'))).toBe(false);
  });
});
