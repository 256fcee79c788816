// `drift-logs audit`: human report by default, --json for machines; exit 1 on any critical issue.
import { COMMON_OPTIONS, parseFlags, resolveRoot } from '../cli-args.js';
import { type AuditResult, auditWorkspace, type Finding } from './audit.js';
import { AUDIT_STATE_FILE, readPrevious, recordCurrent } from './state.js';

export const AUDIT_HELP = `Usage: drift-logs audit [--app NAME] [--json] [--root DIR]

Reads every package of the workspace (the globs in pnpm-workspace.yaml) with the TypeScript
compiler API and reports, per app, critical issues, warnings and recommendations.

Critical (critical apps only): no file logging set up through @drift/logging at the entry,
missing @drift/logging dependency, logging through console.*/winston/bunyan/debug/bare pino(),
file logging turned off. Warnings: console.* in utility code, errors logged as strings,
template-string messages, logged values named like secrets.

The previous critical count is kept in ${AUDIT_STATE_FILE} for the "5 -> 0" summary.

Options:
  --app NAME   audit one package (by package name or directory name)
  --json       print the result as JSON
  --root DIR   workspace root (default: nearest pnpm-workspace.yaml above the cwd)

Exit codes: 0 no critical issue, 1 critical issues found, 3 bad input.
`;

export function runAudit(argv: string[], out: (s: string) => void): number {
  const { values } = parseFlags('audit', argv, { ...COMMON_OPTIONS, app: { type: 'string' } });
  if (values.help) {
    out(AUDIT_HELP);
    return 0;
  }
  const root = resolveRoot(values.root);
  const result = auditWorkspace(root, values.app ? { app: values.app } : {});
  const scope = values.app ? `app:${values.app}` : 'all';
  const previous = readPrevious(result.root, scope);
  recordCurrent(result.root, scope, result.counts.critical);
  if (values.json) out(`${JSON.stringify({ ...result, previousCritical: previous ?? null }, null, 2)}\n`);
  else out(formatAudit(result, previous));
  return result.counts.critical > 0 ? 1 : 0;
}

const LABEL: Record<Finding['severity'], string> = {
  critical: 'CRITICAL ',
  warning: 'warning  ',
  recommendation: 'recommend',
};

export function formatAudit(result: AuditResult, previous: number | undefined): string {
  const lines = [`drift-logs audit: ${result.root} (${result.apps.length} packages)`, ''];
  for (const app of result.apps) {
    const head = `${app.name} (${app.kind}, ${app.dir}${app.entry ? `, entry ${app.entry}` : ''})`;
    if (app.findings.length === 0) {
      lines.push(`${head}: ok`);
      continue;
    }
    lines.push(head);
    for (const f of app.findings) {
      const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
      lines.push(`  ${LABEL[f.severity]} ${where}${f.message}`);
    }
  }
  const { critical, warning, recommendation } = result.counts;
  const trend = previous === undefined ? `${critical}` : `${previous} -> ${critical}`;
  lines.push('', `Critical issues: ${trend}   Warnings: ${warning}   Recommendations: ${recommendation}`, '');
  return lines.join('\n');
}
