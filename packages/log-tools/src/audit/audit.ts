// The audit: per workspace package, critical issues / warnings / recommendations from the scanned facts.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../input-error.js';
import { findPackage, readWorkspace, type Workspace, type WorkspacePackage } from '../workspace.js';
import { type FileFacts, scanSource } from './scan.js';
import { findEntry, isRunnable, listSourceFiles, missingStartFile, reachableFrom } from './sources.js';

export type Severity = 'critical' | 'warning' | 'recommendation';

export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  /** Relative to the workspace root. */
  file?: string;
  line?: number;
}

export interface AppAudit {
  name: string;
  dir: string;
  kind: 'critical' | 'utility';
  entry?: string;
  findings: Finding[];
}

export interface AuditResult {
  root: string;
  apps: AppAudit[];
  counts: Record<Severity, number>;
}

/** The package that implements logging is the console's legitimate last resort; it is not audited. */
const EXEMPT = new Set(['@drift/logging']);

export function auditWorkspace(root: string, options: { app?: string } = {}): AuditResult {
  const ws = readWorkspace(root);
  const targets = options.app
    ? [findPackage(ws, options.app)]
    : ws.packages.filter((p) => !EXEMPT.has(p.name));
  const apps = targets.map((pkg) => auditPackage(ws, pkg));
  const counts: Record<Severity, number> = { critical: 0, warning: 0, recommendation: 0 };
  for (const app of apps) for (const f of app.findings) counts[f.severity]++;
  return { root: ws.root, apps, counts };
}

export function auditPackage(ws: Workspace, pkg: WorkspacePackage): AppAudit {
  const rel = (file: string) => path.relative(ws.root, file).split(path.sep).join('/');
  const facts = new Map<string, FileFacts>();
  const factsOf = (file: string): FileFacts => {
    let f = facts.get(file);
    if (!f) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      }
      f = scanSource(file, text);
      facts.set(file, f);
    }
    return f;
  };
  const files = listSourceFiles(pkg);
  for (const file of files) factsOf(file);
  const entry = findEntry(pkg);
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);

  const bypasses: { file: string; line: number; what: string }[] = [];
  for (const f of facts.values()) {
    for (const c of f.consoleCalls)
      bypasses.push({ file: f.file, line: c.line, what: `console.${c.method}` });
    for (const l of f.foreignLoggers) {
      bypasses.push({ file: f.file, line: l.line, what: l.library === 'pino' ? 'a bare pino()' : l.library });
    }
  }

  if (pkg.critical) checkCritical(pkg, entry, factsOf, bypasses, rel, add);
  else checkUtility(pkg, [...facts.values()], bypasses, rel, add);

  for (const f of facts.values()) {
    for (const w of f.logCallWarnings) {
      add({ severity: 'warning', code: w.kind, message: w.detail, file: rel(f.file), line: w.line });
    }
  }
  recommend(pkg, findings, add);
  return {
    name: pkg.name,
    dir: pkg.relDir,
    kind: pkg.critical ? 'critical' : 'utility',
    ...(entry ? { entry: rel(entry) } : {}),
    findings,
  };
}

function checkCritical(
  pkg: WorkspacePackage,
  entry: string | undefined,
  factsOf: (file: string) => FileFacts,
  bypasses: { file: string; line: number; what: string }[],
  rel: (file: string) => string,
  add: (f: Finding) => void,
): void {
  const reachable = entry ? reachableFrom(entry, (file) => factsOf(file).relativeImports) : new Set<string>();
  const setups = [...reachable].flatMap((file) => factsOf(file).setups.map((s) => ({ ...s, file })));
  const fileSetups = setups.filter((s) => s.kind !== 'setupUtilityLogging' && !s.fileLoggingOff);
  const depends = pkg.packageJson.dependencies?.['@drift/logging'] !== undefined;
  const where = entry ? rel(entry) : `${pkg.relDir} (no entry found)`;

  const missingStart = missingStartFile(pkg);
  if (missingStart) {
    add({
      severity: 'critical',
      code: 'no-entry',
      message: `the start script runs ${missingStart}, which does not exist: no process sets up file logging`,
      file: `${pkg.relDir}/package.json`,
    });
  } else if (fileSetups.length === 0 && setups.length === 0) {
    const how = summarizeBypasses(bypasses);
    const detail = how ? `logs only to the console (${how})` : 'has no logging at all';
    const dep = depends ? '' : '; package.json does not depend on @drift/logging';
    add({
      severity: 'critical',
      code: 'no-file-logging',
      message: `entry never sets up @drift/logging file logging and ${detail}${dep}`,
      file: where,
    });
  } else {
    // Set up (perhaps with file logging off, reported below): what else is wrong around it.
    if (!depends) {
      add({
        severity: 'critical',
        code: 'missing-dependency',
        message:
          'imports @drift/logging but package.json does not depend on it (add "@drift/logging": "workspace:*")',
        file: `${pkg.relDir}/package.json`,
      });
    }
    if (bypasses.length > 0) {
      const first = bypasses[0]!;
      add({
        severity: 'critical',
        code: 'bypasses-logger',
        message: `logs around the file logger: ${summarizeBypasses(bypasses)}`,
        file: rel(first.file),
        line: first.line,
      });
    }
  }
  for (const s of setups) {
    if (s.kind === 'setupUtilityLogging' || s.fileLoggingOff) {
      add({
        severity: 'critical',
        code: 'file-logging-off',
        message:
          s.kind === 'setupUtilityLogging'
            ? 'a critical app set up with setupUtilityLogging (console only); use setupCriticalLogging'
            : 'file logging turned off with enableFileLogging: false',
        file: rel(s.file),
        line: s.line,
      });
    } else if (s.appName !== undefined && s.appName !== pkg.logName) {
      add({
        severity: 'warning',
        code: 'app-name-mismatch',
        message: `logger set up as "${s.appName}" but the app is "${pkg.logName}": it writes logs/${s.appName}.log`,
        file: rel(s.file),
        line: s.line,
      });
    }
  }
  for (const file of reachable) {
    for (const off of factsOf(file).fileLoggingOff) {
      add({
        severity: 'critical',
        code: 'file-logging-off',
        message: off.how,
        file: rel(file),
        line: off.line,
      });
    }
  }
  for (const [script, command] of Object.entries(pkg.packageJson.scripts ?? {})) {
    if (/\bLOG_FILE_ENABLED=(false|0|no|off)\b/i.test(command)) {
      add({
        severity: 'critical',
        code: 'file-logging-off',
        message: `script "${script}" sets LOG_FILE_ENABLED=false`,
        file: `${pkg.relDir}/package.json`,
      });
    }
  }
}

function checkUtility(
  pkg: WorkspacePackage,
  files: FileFacts[],
  bypasses: { file: string; line: number; what: string }[],
  rel: (file: string) => string,
  add: (f: Finding) => void,
): void {
  // Which apps are critical is declared in their package.json only; a call cannot make one so.
  for (const f of files) {
    for (const s of f.setups.filter((x) => x.kind === 'setupCriticalLogging')) {
      add({
        severity: 'warning',
        code: 'undeclared-critical',
        message:
          'setupCriticalLogging in an app its package.json does not declare critical: declare "drift": { "logging": "critical" } (the one place that says which apps are critical) or use setupUtilityLogging',
        file: rel(f.file),
        line: s.line,
      });
    }
  }
  for (const b of bypasses) {
    add({
      severity: 'warning',
      code: 'console-in-utility',
      message: `${b.what} in utility code${isRunnable(pkg) ? '' : ' (a library: take a Logger instead)'}`,
      file: rel(b.file),
      line: b.line,
    });
  }
}

function recommend(pkg: WorkspacePackage, findings: Finding[], add: (f: Finding) => void): void {
  const has = (code: string) => findings.some((f) => f.code === code);
  if (has('no-file-logging') || has('bypasses-logger') || has('missing-dependency')) {
    add({
      severity: 'recommendation',
      code: 'run-migrate',
      message: `run \`drift-logs migrate --app ${pkg.name} --dry-run\` to preview the fix`,
    });
  }
  if (has('no-entry')) {
    add({
      severity: 'recommendation',
      code: 'create-entry',
      message: `create the process entry with setupCriticalLogging('${pkg.logName}') as its first statement`,
    });
  }
  if (has('console-in-utility')) {
    add({
      severity: 'recommendation',
      code: 'utility-logger',
      message: isRunnable(pkg)
        ? "log through setupUtilityLogging('<name>'); print reports with process.stdout.write"
        : 'libraries accept a Logger from their caller and log through logger.child({ component })',
    });
  }
  if (has('template-message') || has('error-as-string')) {
    add({
      severity: 'recommendation',
      code: 'log-fields',
      message: "log values as fields and errors as { err }: logger.info({ market, orderId }, 'order filled')",
    });
  }
  if (!pkg.critical && pkg.relDir.startsWith('apps/') && fs.existsSync(path.join(pkg.dir, 'src/main.ts'))) {
    add({
      severity: 'recommendation',
      code: 'declare-critical',
      message:
        'a long-running app under apps/ is classified utility (console only); if it trades or supervises, declare "drift": { "logging": "critical" } in its package.json',
    });
  }
}

function summarizeBypasses(bypasses: { what: string }[]): string {
  const counts = new Map<string, number>();
  for (const b of bypasses) counts.set(b.what, (counts.get(b.what) ?? 0) + 1);
  return [...counts].map(([what, n]) => (n > 1 ? `${what} x${n}` : what)).join(', ');
}
