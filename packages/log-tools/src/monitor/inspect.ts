// Health of one app's log files: presence, staleness, sizes vs rotation, backups, retention, recent errors.
import fs from 'node:fs';
import { parseLogLine } from '@drift/logging';
import { InputError } from '../input-error.js';
import { appLogFiles, type LogFile } from '../logs/app-files.js';
import { forEachChunk, forEachLineBackwards } from '../logs/chunks.js';
import { offsetAtTime } from '../logs/records.js';

export type Verdict = 'ok' | 'warning' | 'critical';

export interface Check {
  verdict: Exclude<Verdict, 'ok'>;
  code:
    | 'missing'
    | 'stale'
    | 'oversize'
    | 'too-many-backups'
    | 'expired'
    | 'over-cap'
    | 'errors'
    | 'error-burst'
    | 'fatal';
  message: string;
  /** Files maintenance deletes to resolve it. */
  deletes?: string[];
}

export interface MonitorLimits {
  maxSize: number;
  maxFiles: number;
  retentionDays: number;
  staleMs: number;
  errorBurst: number;
}

export interface AppHealth {
  app: string;
  files: { name: string; size: number; modified: string }[];
  totalBytes: number;
  lastLineAt: string | null;
  errorsLastHour: number;
  fatalLastHour: number;
  checks: Check[];
}

const HOUR_MS = 3_600_000;

export function inspectApp(app: string, logDir: string, limits: MonitorLimits, now: number): AppHealth {
  const files = appLogFiles(app, logDir);
  const current = files.find((f) => f.current);
  const rotated = files.filter((f) => f.rotation > 0);
  const checks: Check[] = [];
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const cap = limits.maxSize * (limits.maxFiles + 1);

  let lastLineAt: number | undefined;
  if (!current) {
    checks.push({ verdict: 'warning', code: 'missing', message: `${app}.log is missing (has the app run?)` });
  } else {
    lastLineAt = lastLineTime(current) ?? current.mtimeMs;
    const age = now - lastLineAt;
    if (age > limits.staleMs) {
      checks.push({ verdict: 'warning', code: 'stale', message: `last line is ${formatAge(age)} old` });
    }
    if (current.size > limits.maxSize * 1.1) {
      checks.push({
        verdict: current.size > limits.maxSize * 2 ? 'critical' : 'warning',
        code: 'oversize',
        message: `${current.name} is ${mb(current.size)}, over the ${mb(limits.maxSize)} rotation limit`,
      });
    }
  }
  const expiredBefore = now - limits.retentionDays * 86_400_000;
  const expired = rotated.filter((f) => f.mtimeMs < expiredBefore);
  if (expired.length > 0) {
    checks.push({
      verdict: 'warning',
      code: 'expired',
      message: `${expired.length} rotated file(s) older than ${limits.retentionDays} days`,
      deletes: expired.map((f) => f.path),
    });
  }
  const kept = rotated.filter((f) => f.mtimeMs >= expiredBefore);
  if (kept.length > limits.maxFiles) {
    checks.push({
      verdict: 'warning',
      code: 'too-many-backups',
      message: `${kept.length} rotated files, more than the ${limits.maxFiles} kept`,
      deletes: kept.slice(limits.maxFiles).map((f) => f.path),
    });
  }
  if (totalBytes > cap) {
    // Files maintenance deletes anyway count only until it has run.
    const deletable = new Set(checks.flatMap((c) => c.deletes ?? []));
    const after = files.filter((f) => !deletable.has(f.path)).reduce((n, f) => n + f.size, 0);
    checks.push({
      verdict: after > cap * 1.5 ? 'critical' : 'warning',
      code: 'over-cap',
      message: `${mb(totalBytes)} of logs, over the ${mb(cap)} cap`,
      ...(after <= cap ? { deletes: [...deletable] } : {}),
    });
  }
  const { errors, fatal } = countRecentErrors(files, now - HOUR_MS);
  if (fatal > 0)
    checks.push({ verdict: 'critical', code: 'fatal', message: `${fatal} FATAL line(s) in the last hour` });
  if (errors >= limits.errorBurst) {
    checks.push({
      verdict: 'critical',
      code: 'error-burst',
      message: `${errors} ERROR lines in the last hour`,
    });
  } else if (errors > 0) {
    checks.push({ verdict: 'warning', code: 'errors', message: `${errors} ERROR line(s) in the last hour` });
  }
  return {
    app,
    files: files.map((f) => ({ name: f.name, size: f.size, modified: new Date(f.mtimeMs).toISOString() })),
    totalBytes,
    lastLineAt: lastLineAt === undefined ? null : new Date(lastLineAt).toISOString(),
    errorsLastHour: errors,
    fatalLastHour: fatal,
    checks,
  };
}

function lastLineTime(file: LogFile): number | undefined {
  let time: number | undefined;
  withFile(file.path, (fd) =>
    forEachLineBackwards(fd, file.size, (line) => {
      const parsed = parseLogLine(line);
      if (parsed) time = parsed.time.getTime();
      return parsed === undefined;
    }),
  );
  return time;
}

// Level markers of the compact/verbose (` | ERROR | `) and json (`"level":50`) formats. A hit only
// nominates a line; the line is then parsed to confirm its level and time.
const NEEDLES = [
  ' | ERROR | ',
  ' | FATAL | ',
  '"level":50',
  '"level":60',
  '"level":"error"',
  '"level":"fatal"',
].map((s) => Buffer.from(s));

/** ERROR and FATAL lines since `since`, reading only the part of each file written after it. */
export function countRecentErrors(files: LogFile[], since: number): { errors: number; fatal: number } {
  let errors = 0;
  let fatal = 0;
  for (const file of files) {
    if (file.mtimeMs < since) continue; // nothing written to it in the window
    withFile(file.path, (fd) => {
      const start = offsetAtTime(fd, file.size, since);
      forEachChunk(fd, start, file.size, (chunk, length) => {
        const lineStarts = new Set<number>();
        for (const needle of NEEDLES) {
          for (let i = chunk.indexOf(needle); i !== -1 && i < length; i = chunk.indexOf(needle, i + 1)) {
            lineStarts.add(chunk.lastIndexOf(0x0a, i) + 1);
          }
        }
        for (const s of lineStarts) {
          let e = chunk.indexOf(0x0a, s);
          if (e === -1 || e > length) e = length;
          const parsed = parseLogLine(chunk.toString('utf8', s, e));
          if (!parsed || parsed.time.getTime() < since) continue;
          const rank = parsed.levelValue;
          if (rank >= 60) fatal++;
          else if (rank >= 50) errors++;
        }
        return true;
      });
    });
  }
  return { errors, fatal };
}

function withFile(file: string, use: (fd: number) => void): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new InputError(`cannot read log file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    use(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function formatAge(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 2 * HOUR_MS) return `${Math.round(ms / 60_000)}m`;
  if (ms < 48 * HOUR_MS) return `${(ms / HOUR_MS).toFixed(1)}h`;
  return `${(ms / 86_400_000).toFixed(1)}d`;
}
