/**
 * Metrics read from disk and /proc when scraped: each app's resident memory (the Kubernetes export's
 * memory requests), the size of the fleet's log directory, and the log routine's last results
 * (whoever ran it: the orchestrator, a systemd timer, pm2's cron).
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import type { Fleet } from './fleet.js';
import { ROUTINE_METRICS, readRoutineResults } from './log-routine.js';

/** Resident memory of a process in bytes (Linux /proc), or null when unknown. */
export function rssBytesOf(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** Bytes of the regular files under `dir` (one level of subdirectories), 0 when it does not exist. */
export function dirBytes(dir: string, depth = 1): number {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    try {
      if (e.isFile()) total += statSync(path).size;
      else if (e.isDirectory() && depth > 0) total += dirBytes(path, depth - 1);
    } catch {
      // removed while we looked (rotation)
    }
  }
  return total;
}

export interface HostMetricsOptions {
  logDir: string;
  dataDir: string;
}

export function registerHostMetrics(registry: Registry, fleet: Fleet, opts: HostMetricsOptions): void {
  new Gauge({
    name: 'drift_app_rss_bytes',
    help: 'Resident memory of the app process',
    labelNames: ['app'],
    registers: [registry],
    collect() {
      this.reset();
      for (const app of fleet.apps) {
        const rss = app.pid === null ? null : rssBytesOf(app.pid);
        if (rss !== null) this.set({ app: app.name }, rss);
      }
    },
  });
  new Gauge({
    name: 'drift_log_dir_bytes',
    help: "Bytes of the fleet's log directory (current and rotated files)",
    registers: [registry],
    collect() {
      this.set(dirBytes(opts.logDir));
    },
  });
  new Gauge({
    ...ROUTINE_METRICS.exitCode,
    labelNames: ['routine'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of readRoutineResults(opts.dataDir)) this.set({ routine: r.routine }, r.exitCode);
    },
  });
  new Gauge({
    ...ROUTINE_METRICS.lastRun,
    labelNames: ['routine'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of readRoutineResults(opts.dataDir)) this.set({ routine: r.routine }, r.at / 1000);
    },
  });
}
