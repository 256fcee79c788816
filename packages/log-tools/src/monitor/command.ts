// `drift-logs monitor`: report each critical app's log health, then clean up (unless --dry-run).
import fs from 'node:fs';
import path from 'node:path';
import { criticalApps, LOG_DEFAULTS, resolveLogDir } from '@drift/logging';
import {
  COMMON_OPTIONS,
  parseBytes,
  parseDuration,
  parseFlags,
  parsePositiveInt,
  resolveRoot,
} from '../cli-args.js';
import { InputError } from '../input-error.js';
import { appsInLogDir } from '../logs/app-files.js';
import { checkLogDir } from '../logs/log-dir.js';
import { type AppHealth, formatAge, inspectApp, type Verdict } from './inspect.js';

export const MONITOR_HELP = `Usage: drift-logs monitor [--app NAME]... [--dry-run | --maintenance-only] [options]

For each critical app (the @drift/logging registry plus packages that declare themselves critical):
log file present, age of the last line, current size vs the rotation limit, rotated files vs the
backup count, files past retention, total bytes vs the cap, ERROR and FATAL lines in the last hour
(compact, verbose and json lines), and free disk in the log dir. Then maintenance deletes rotated
files past retention and backups beyond the count. Files are streamed: only the last hour is read.

Options:
  --app NAME          check one app (repeatable)
  --log-dir DIR       log directory (default: LOG_DIR, else <root>/logs)
  --stale DURATION    last line older than this is stale (default 15m)
  --error-burst N     this many ERROR lines in an hour is critical (default 100)
  --min-free SIZE     less free disk than this is critical, 5x this a warning (default 1GB)
  --dry-run           report what maintenance would delete, delete nothing
  --maintenance-only  only do the clean-up, print nothing (--json prints what was deleted)
  --json              print the result as JSON
  --root DIR          workspace root (default: nearest pnpm-workspace.yaml above the cwd)

Limits come from @drift/logging's LOG_DEFAULTS (rotation size, backups kept, retention days);
the cap is size x (backups + 1).

Exit codes: 0 healthy, 1 warnings, 2 critical (after maintenance; a dry run counts what it
would fix), 3 bad input.
`;

interface Deletion {
  file: string;
  done: boolean;
  error?: string;
}

export async function runMonitor(argv: string[], out: (s: string) => void): Promise<number> {
  const { values } = parseFlags('monitor', argv, {
    ...COMMON_OPTIONS,
    app: { type: 'string', multiple: true },
    'log-dir': { type: 'string' },
    stale: { type: 'string' },
    'error-burst': { type: 'string' },
    'min-free': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'maintenance-only': { type: 'boolean' },
  });
  if (values.help) {
    out(MONITOR_HELP);
    return 0;
  }
  if (values['dry-run'] && values['maintenance-only']) {
    throw new InputError('--dry-run and --maintenance-only cannot be combined');
  }
  const limits = {
    maxSize: LOG_DEFAULTS.maxSize,
    maxFiles: LOG_DEFAULTS.maxFiles,
    retentionDays: LOG_DEFAULTS.retentionDays,
    staleMs: parseDuration('--stale', values.stale ?? '15m'),
    errorBurst: parsePositiveInt('--error-burst', values['error-burst'] ?? '100'),
  };
  const minFree = parseBytes('--min-free', values['min-free'] ?? '1GB');
  const root = resolveRoot(values.root);
  const logDir = resolveMonitorLogDir(values['log-dir'], values.root !== undefined ? root : undefined);
  const apps = await selectApps(root, logDir, values.app);
  const now = Date.now();
  const health = apps.map((app) => inspectApp(app, logDir, limits, now));

  const dryRun = values['dry-run'] === true;
  const deletions: Deletion[] = [];
  for (const h of health) {
    for (const file of new Set(h.checks.flatMap((c) => c.deletes ?? []))) {
      if (dryRun) {
        deletions.push({ file, done: false });
        continue;
      }
      try {
        fs.rmSync(file, { force: true });
        deletions.push({ file, done: true });
      } catch (err) {
        deletions.push({ file, done: false, error: (err as NodeJS.ErrnoException).code ?? String(err) });
      }
    }
  }
  const failed = new Set(deletions.filter((d) => !d.done).map((d) => d.file));
  const resolved = (deletes: string[] | undefined) =>
    !dryRun && deletes !== undefined && deletes.every((f) => !failed.has(f));
  const disk = freeDisk(logDir, minFree);
  const verdicts: Verdict[] = [
    ...health.flatMap((h) => h.checks.filter((c) => !resolved(c.deletes)).map((c) => c.verdict)),
    disk.verdict,
  ];
  const overall: Verdict = verdicts.includes('critical')
    ? 'critical'
    : verdicts.includes('warning')
      ? 'warning'
      : 'ok';
  const rel = (f: string) => path.relative(logDir, f);

  if (values['maintenance-only']) {
    if (values.json)
      out(
        `${JSON.stringify({ logDir, deleted: deletions.map((d) => ({ ...d, file: rel(d.file) })) }, null, 2)}\n`,
      );
    return deletions.some((d) => d.error) ? 1 : 0;
  }
  if (values.json) {
    out(
      `${JSON.stringify(
        {
          logDir,
          verdict: overall,
          limits,
          disk,
          apps: health,
          maintenance: { dryRun, deletions: deletions.map((d) => ({ ...d, file: rel(d.file) })) },
        },
        null,
        2,
      )}\n`,
    );
  } else {
    out(
      formatMonitor(
        logDir,
        health,
        disk,
        deletions.map((d) => ({ ...d, file: rel(d.file) })),
        dryRun,
        overall,
        now,
      ),
    );
  }
  return overall === 'critical' ? 2 : overall === 'warning' ? 1 : 0;
}

function resolveMonitorLogDir(flag: string | undefined, root: string | undefined): string {
  const dir = flag ?? (process.env.LOG_DIR || !root ? resolveLogDir() : path.join(root, 'logs'));
  return checkLogDir(dir);
}

/** Critical apps from the registry and the workspace, narrowed by --app. */
export async function selectApps(
  root: string,
  logDir: string,
  requested: string[] | undefined,
): Promise<string[]> {
  const critical = new Set<string>(criticalApps(root)); // the apps' own package.json declarations
  if (!requested) return [...critical].sort();
  const present = new Set(appsInLogDir(logDir));
  for (const app of requested) {
    if (!critical.has(app) && !present.has(app)) {
      throw new InputError(`unknown app "${app}": not a critical app and no ${app}.log in ${logDir}`);
    }
  }
  return requested;
}

interface Disk {
  freeBytes: number;
  totalBytes: number;
  verdict: Verdict;
}

function freeDisk(dir: string, minFree: number): Disk {
  const st = fs.statfsSync(dir);
  const freeBytes = st.bavail * st.bsize;
  const verdict: Verdict = freeBytes < minFree ? 'critical' : freeBytes < minFree * 5 ? 'warning' : 'ok';
  return { freeBytes, totalBytes: st.blocks * st.bsize, verdict };
}

const MARK: Record<Verdict, string> = { ok: 'ok      ', warning: 'WARNING ', critical: 'CRITICAL' };

function formatMonitor(
  logDir: string,
  health: AppHealth[],
  disk: Disk,
  deletions: Deletion[],
  dryRun: boolean,
  overall: Verdict,
  now: number,
): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const lines = [`drift-logs monitor: ${logDir}`, ''];
  for (const h of health) {
    const worst: Verdict = h.checks.some((c) => c.verdict === 'critical')
      ? 'critical'
      : h.checks.length
        ? 'warning'
        : 'ok';
    const age = h.lastLineAt ? `last line ${formatAge(now - Date.parse(h.lastLineAt))} ago` : 'no lines';
    lines.push(
      `${MARK[worst]} ${h.app}: ${h.files.length} file(s), ${mb(h.totalBytes)}, ${age}, ${h.errorsLastHour} error / ${h.fatalLastHour} fatal in the last hour`,
    );
    for (const c of h.checks) lines.push(`           ${c.verdict}: ${c.message}`);
  }
  lines.push('', `${MARK[disk.verdict]} disk: ${mb(disk.freeBytes)} free of ${mb(disk.totalBytes)}`);
  if (deletions.length > 0) {
    lines.push('', dryRun ? 'Maintenance (dry run, nothing deleted) would delete:' : 'Maintenance:');
    for (const d of deletions) {
      lines.push(
        `  ${dryRun ? 'would delete' : d.done ? 'deleted' : `could not delete (${d.error})`} ${d.file}`,
      );
    }
  }
  lines.push('', `Overall: ${overall}`, '');
  return lines.join('\n');
}
