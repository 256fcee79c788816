/**
 * The orchestrator runs the log routine on its schedule (log-routine.ts) while the fleet runs: each
 * due routine is one `log-routine-main` process (built JS when the orchestrator is built), never
 * two at once; its result file feeds the metrics, its exit is logged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@drift/logging';
import { nodeFlagsFor } from './app-command.js';
import { LOG_ROUTINES, type LogRoutine, nextRunAt } from './log-routine.js';

const runner = fileURLToPath(
  new URL(`./log-routine-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);
/** setTimeout's limit is ~24.8 days: longer waits are re-armed. */
const MAX_WAIT_MS = 86_400_000;

export class LogRoutineScheduler {
  private readonly timers = new Map<LogRoutine, NodeJS.Timeout>();
  private readonly running = new Map<LogRoutine, ChildProcess>();

  constructor(
    private readonly logger: Logger,
    private readonly stdio: 'inherit' | 'ignore' = 'inherit',
  ) {}

  start(now = Date.now()): void {
    for (const routine of LOG_ROUTINES) this.arm(routine, nextRunAt(routine, now));
  }

  private arm(routine: LogRoutine, at: number): void {
    const wait = at - Date.now();
    const timer = setTimeout(
      () => (wait > MAX_WAIT_MS ? this.arm(routine, at) : this.fire(routine)),
      Math.min(Math.max(0, wait), MAX_WAIT_MS),
    );
    timer.unref();
    this.timers.set(routine, timer);
  }

  private fire(routine: LogRoutine): void {
    this.arm(routine, nextRunAt(routine, Date.now()));
    this.run(routine);
  }

  /** Runs one routine now (unless it is still running); resolves with its exit code. */
  run(routine: LogRoutine): Promise<number> {
    if (this.running.has(routine)) {
      this.logger.warn({ routine: routine.name }, 'log routine still running: this run skipped');
      return Promise.resolve(-1);
    }
    const child = spawn(process.execPath, [...nodeFlagsFor(runner), runner, routine.name], {
      stdio: ['ignore', this.stdio, this.stdio],
    });
    this.running.set(routine, child);
    return new Promise((resolve) => {
      child.once('exit', (code) => {
        this.running.delete(routine);
        const exitCode = code ?? 1;
        const fields = { routine: routine.name, command: `drift-logs ${routine.args.join(' ')}`, exitCode };
        if (exitCode === 0) this.logger.info(fields, 'log routine done');
        else this.logger.warn(fields, 'log routine found problems (see its report and drift_log_routine_*)');
        resolve(exitCode);
      });
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const child of this.running.values()) child.kill('SIGTERM');
  }
}
