/**
 * The logging system's routine, on a schedule: the daily health check (`drift-logs monitor
 * --dry-run`), the weekly maintenance (`monitor --maintenance-only`) and the monthly audit. Each run
 * goes through `log-routine-main` (built JS), which records `{ exitCode, at, durationMs }` in
 * `<data dir>/log-routine/<routine>.json`; the orchestrator's metrics read those files, so a run by
 * the orchestrator, a systemd timer, a Kubernetes CronJob or pm2's cron reaches the alerts alike.
 * Where no orchestrator runs, the same series go to a Prometheus textfile (node_exporter's textfile
 * collector) that each run rewrites. Times are UTC.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DriftError } from '@drift/logging';

export type RoutineName = 'daily' | 'weekly' | 'monthly';

export interface LogRoutine {
  name: RoutineName;
  /** drift-logs arguments. */
  args: readonly string[];
  /** UTC time of day. */
  hour: number;
  minute: number;
  /** weekly: day of week (0 = Sunday); monthly: day of month. */
  day?: number;
  /** The same schedule for cron (pm2, Kubernetes) and for systemd's OnCalendar. */
  cron: string;
  onCalendar: string;
  /** Alert when the last successful run is older than this. */
  maxAgeSeconds: number;
}

const DAY_S = 86_400;

export const LOG_ROUTINES: readonly LogRoutine[] = [
  {
    name: 'daily',
    args: ['monitor', '--dry-run'],
    hour: 6,
    minute: 0,
    cron: '0 6 * * *',
    onCalendar: '*-*-* 06:00:00 UTC',
    maxAgeSeconds: 2 * DAY_S,
  },
  {
    name: 'weekly',
    args: ['monitor', '--maintenance-only'],
    hour: 6,
    minute: 30,
    day: 1,
    cron: '30 6 * * 1',
    onCalendar: 'Mon *-*-* 06:30:00 UTC',
    maxAgeSeconds: 8 * DAY_S,
  },
  {
    name: 'monthly',
    args: ['audit'],
    hour: 7,
    minute: 0,
    day: 1,
    cron: '0 7 1 * *',
    onCalendar: '*-*-01 07:00:00 UTC',
    maxAgeSeconds: 32 * DAY_S,
  },
];

export function routineNamed(name: string): LogRoutine | undefined {
  return LOG_ROUTINES.find((r) => r.name === name);
}

/** The next time `routine` is due strictly after `now` (ms since epoch, UTC). */
export function nextRunAt(routine: LogRoutine, now: number): number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  const at = (month: number, day: number) => Date.UTC(y, month, day, routine.hour, routine.minute);
  if (routine.name === 'monthly') {
    let t = at(m, routine.day ?? 1);
    while (t <= now) t = at(++m, routine.day ?? 1);
    return t;
  }
  let t = at(m, d.getUTCDate());
  while (t <= now || (routine.day !== undefined && new Date(t).getUTCDay() !== routine.day))
    t += DAY_S * 1000;
  return t;
}

export interface RoutineResult {
  routine: RoutineName;
  exitCode: number;
  /** ms since epoch, end of the run. */
  at: number;
  durationMs: number;
}

export function routineResultDir(dataDir: string): string {
  return join(dataDir, 'log-routine');
}

export function writeRoutineResult(dataDir: string, result: RoutineResult): void {
  const dir = routineResultDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.routine}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(result)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The last recorded result of each routine that has run; a missing or torn file is skipped. */
export function readRoutineResults(dataDir: string): RoutineResult[] {
  const out: RoutineResult[] = [];
  for (const r of LOG_ROUTINES) {
    try {
      const v = JSON.parse(readFileSync(join(routineResultDir(dataDir), `${r.name}.json`), 'utf8'));
      if (typeof v.exitCode === 'number' && typeof v.at === 'number') out.push({ ...v, routine: r.name });
    } catch {
      // not run yet
    }
  }
  return out;
}

/** The routine's series, the same from the orchestrator's /metrics and from the textfile. */
export const ROUTINE_METRICS = {
  exitCode: {
    name: 'drift_log_routine_last_exit_code',
    help: 'Exit code of the last run of a log routine (drift-logs: 0 healthy, 1 warnings, 2+ critical)',
  },
  lastRun: {
    name: 'drift_log_routine_last_run_timestamp_seconds',
    help: 'End of the last run of a log routine',
  },
} as const;

export const ROUTINE_TEXTFILE_ENV = 'DRIFT_LOG_ROUTINE_TEXTFILE';

export class RoutineTextfileError extends DriftError {
  override readonly code = 'DRIFT_ERR_ROUTINE_TEXTFILE';
  override readonly name = 'RoutineTextfileError';
}

/**
 * Where a run writes the textfile: `DRIFT_LOG_ROUTINE_TEXTFILE` (point it into node_exporter's
 * `--collector.textfile.directory`), else `<data dir>/log-routine/drift_log_routine.prom`.
 */
export function routineTextfilePath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = env[ROUTINE_TEXTFILE_ENV];
  if (!file) return join(routineResultDir(dataDir), 'drift_log_routine.prom');
  if (!file.endsWith('.prom') || file.endsWith('/.prom')) {
    throw new RoutineTextfileError(
      `${ROUTINE_TEXTFILE_ENV}=${JSON.stringify(file)} is not valid: use a file name ending in .prom (the textfile collector reads only those)`,
    );
  }
  return resolve(file);
}

/** The last result of each routine as Prometheus text (one family per series, then its samples). */
export function routineMetricsText(results: readonly RoutineResult[]): string {
  const family = (m: { name: string; help: string }, value: (r: RoutineResult) => number) => [
    `# HELP ${m.name} ${m.help}`,
    `# TYPE ${m.name} gauge`,
    ...results.map((r) => `${m.name}{routine="${r.routine}"} ${value(r)}`),
  ];
  return `${[
    ...family(ROUTINE_METRICS.exitCode, (r) => r.exitCode),
    ...family(ROUTINE_METRICS.lastRun, (r) => r.at / 1000),
  ].join('\n')}\n`;
}

/**
 * Rewrites the textfile with every routine's last result. Written beside it and renamed: the
 * collector never reads half a file (its temp name does not end in .prom, so it is never read).
 */
export function writeRoutineTextfile(file: string, results: readonly RoutineResult[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, routineMetricsText(results), { mode: 0o644 });
  renameSync(temp, file);
}

export interface RoutineCommand {
  name: string;
  routine: LogRoutine;
  node: string;
  /** The built runner. */
  script: string;
  args: string[];
}

/** One one-shot app per routine for the exports: `node <orchestrator>/dist/log-routine-main.js <routine>`. */
export function logRoutineApps(root: string, node: string = process.execPath): RoutineCommand[] {
  return LOG_ROUTINES.map((routine) => ({
    name: `drift-logs-${routine.name}`,
    routine,
    node,
    script: join(root, 'apps/orchestrator/dist/log-routine-main.js'),
    args: [routine.name],
  }));
}
