/**
 * The logging system's routine, on a schedule: the daily health check (`drift-logs monitor
 * --dry-run`), the weekly maintenance (`monitor --maintenance-only`) and the monthly audit. Each run
 * goes through `log-routine-main` (built JS), which records `{ exitCode, at, durationMs }` in
 * `<data dir>/log-routine/<routine>.json`; the orchestrator's metrics read those files, so a run by
 * the orchestrator, a systemd timer, a Kubernetes CronJob or pm2's cron reaches the alerts alike.
 * Times are UTC.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
