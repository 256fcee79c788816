import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOG_ROUTINES, nextRunAt, routineNamed } from '../src/log-routine.js';
import { LogRoutineScheduler } from '../src/log-routine-scheduler.js';
import { createFleetMetrics } from '../src/metrics.js';
import { fixtureFleet, removeDir, tempDir } from './fleet-fixture.js';
import { quietLogger } from './quiet-logger.js';

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
