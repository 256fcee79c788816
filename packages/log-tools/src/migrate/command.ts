// `drift-logs migrate`: diff (--dry-run) or apply the move of apps to @drift/logging.
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { COMMON_OPTIONS, parseFlags, resolveRoot } from '../cli-args.js';
import { findPackage, readWorkspace } from '../workspace.js';
import { applyChanges, BACKUP_DIR, refuseDirty } from './apply.js';
import { type AppPlan, planApp } from './plan.js';

export const MIGRATE_HELP = `Usage: drift-logs migrate [--app NAME] [--dry-run] [--force] [--json] [--root DIR]

Moves apps to @drift/logging: adds the "@drift/logging": "workspace:*" dependency, creates the
logger once at the entry (setupCriticalLogging or setupUtilityLogging, by the registry), and
rewrites console.log/info/warn/error/debug and simple winston/bunyan/pino loggers to pino's
(fields, message) convention. What it cannot rewrite safely is listed, never guessed.
Without --app it migrates every critical app; a utility app is migrated only when named.

Options:
  --app NAME   migrate one package (by package name or directory name)
  --dry-run    print a unified diff of every change and write nothing
  --force      migrate files that have uncommitted git changes
  --json       print the plan/result as JSON
  --root DIR   workspace root (default: nearest pnpm-workspace.yaml above the cwd)

Every touched file is first copied to ${BACKUP_DIR}/<timestamp>/ with its path kept.
A second run changes nothing.

Exit codes: 0 done (or nothing to do), 1 done but some code was left for a human (listed),
3 bad input or refused (uncommitted changes without --force).
`;

export function runMigrate(argv: string[], out: (s: string) => void): number {
  const { values } = parseFlags('migrate', argv, {
    ...COMMON_OPTIONS,
    app: { type: 'string' },
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    out(MIGRATE_HELP);
    return 0;
  }
  const ws = readWorkspace(resolveRoot(values.root));
  const targets = values.app ? [findPackage(ws, values.app)] : ws.packages.filter((p) => p.critical);
  const plans = targets.map((pkg) => planApp(ws, pkg));
  const changes = plans.flatMap((p) => p.changes);
  const dryRun = values['dry-run'] === true;
  const rel = (f: string) => path.relative(ws.root, f).split(path.sep).join('/');
  let backup: string | undefined;
  if (!dryRun && changes.length > 0) {
    if (!values.force) refuseDirty(ws.root, changes);
    backup = applyChanges(ws.root, changes);
  }
  const unsafeCount = plans.reduce((n, p) => n + p.unsafe.length, 0);
  if (values.json) {
    out(
      `${JSON.stringify(
        {
          dryRun,
          backup: backup ? rel(backup) : null,
          apps: plans.map((p) => ({
            app: p.app,
            files: p.changes.map((c) => ({ file: rel(c.file), created: c.before === undefined })),
            unsafe: p.unsafe,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (dryRun) for (const c of changes) out(unifiedDiff(rel(c.file), c.before, c.after));
    out(formatSummary(plans, dryRun, backup ? rel(backup) : undefined, rel));
  }
  return unsafeCount > 0 ? 1 : 0;
}

export function unifiedDiff(file: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${file}`,
    `b/${file}`,
    before ?? '',
    after,
    '',
    '',
    {
      context: 3,
    },
  ).replace(/^=+\n/, '');
}

function formatSummary(
  plans: AppPlan[],
  dryRun: boolean,
  backup: string | undefined,
  rel: (f: string) => string,
): string {
  const lines: string[] = [''];
  const changed = plans.filter((p) => p.changes.length > 0);
  if (changed.length === 0) lines.push('Nothing to migrate: every app already logs through @drift/logging.');
  for (const p of changed) {
    lines.push(
      `${p.app}: ${dryRun ? 'would change' : 'changed'} ${p.changes.map((c) => rel(c.file)).join(', ')}`,
    );
  }
  const unsafe = plans.flatMap((p) => p.unsafe.map((u) => ({ app: p.app, ...u })));
  if (unsafe.length > 0) {
    lines.push('', 'Left for a human (not rewritten):');
    for (const u of unsafe)
      lines.push(`  ${u.file}${u.line ? `:${u.line}` : ''}: ${u.reason}${u.code ? `  [${u.code}]` : ''}`);
  }
  if (backup) lines.push('', `Backups of the originals: ${backup}/`);
  if (dryRun && changed.length > 0)
    lines.push('', 'Dry run: nothing was written. Run without --dry-run to apply.');
  lines.push('');
  return lines.join('\n');
}
