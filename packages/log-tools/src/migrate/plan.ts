// Plans one app's migration to @drift/logging: every file's new text, and what it could not rewrite safely.
import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { auditPackage } from '../audit/audit.js';
import { scanSource } from '../audit/scan.js';
import {
  findEntry,
  isRunnable,
  listSourceFiles,
  missingStartFile,
  resolveRelative,
} from '../audit/sources.js';
import type { Workspace, WorkspacePackage } from '../workspace.js';
import { type ArgStyle, rewriteLogArgs } from './log-args.js';
import { applyEdits, type Edit } from './text-edits.js';

export interface FileChange {
  /** Absolute path. */
  file: string;
  /** undefined for a file the migration creates. */
  before: string | undefined;
  after: string;
}

export interface Unsafe {
  /** Relative to the workspace root. */
  file: string;
  line: number;
  code: string;
  reason: string;
}

export interface AppPlan {
  app: string;
  changes: FileChange[];
  unsafe: Unsafe[];
}

type Library = 'winston' | 'bunyan' | 'pino' | 'drift';

/** A top-level `const x = <logger factory>(...)`: the one place the app's logger is made. */
interface LoggerSite {
  file: string;
  name: string;
  exported: boolean;
  library: Library;
  init: ts.CallExpression;
  /** The import declaration of the replaced library, removed when nothing else uses it. */
  libraryImport?: ts.ImportDeclaration;
}

const CONSOLE_LEVEL: Record<string, string> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
};
const PINO_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const WINSTON_LEVEL: Record<string, string> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  http: 'debug',
  verbose: 'debug',
  debug: 'debug',
  silly: 'trace',
};
const FOREIGN = new Set(['winston', 'bunyan', 'pino', 'debug']);
const LOGGING = '@drift/logging';
const MIGRATED_CODES = new Set([
  'no-file-logging',
  'missing-dependency',
  'bypasses-logger',
  'no-entry',
  'console-in-utility',
]);

interface Parsed {
  file: string;
  text: string;
  source: ts.SourceFile;
  edits: Edit[];
}

export function planApp(ws: Workspace, pkg: WorkspacePackage): AppPlan {
  const rel = (file: string) => path.relative(ws.root, file).split(path.sep).join('/');
  const plan: AppPlan = { app: pkg.name, changes: [], unsafe: [] };
  const unsafe = (p: Parsed, node: ts.Node, reason: string) => {
    const line = p.source.getLineAndCharacterOfPosition(node.getStart(p.source)).line + 1;
    const code = node.getText(p.source).split('\n')[0]!.slice(0, 100);
    plan.unsafe.push({ file: rel(p.file), line, code, reason });
  };
  // Only what the audit flags is migrated: an app already logging through @drift/logging is left alone.
  const flagged = auditPackage(ws, pkg).findings.some((f) => MIGRATED_CODES.has(f.code));
  if (!flagged) return plan;
  if (!pkg.critical && !isRunnable(pkg)) {
    plan.unsafe.push({
      file: pkg.relDir,
      line: 0,
      code: pkg.name,
      reason: 'a library: it should take a Logger from its caller, which needs a human',
    });
    return plan;
  }
  const missingStart = missingStartFile(pkg);
  if (missingStart) {
    plan.unsafe.push({
      file: `${pkg.relDir}/package.json`,
      line: 0,
      code: pkg.packageJson.scripts?.start ?? '',
      reason: `the start script runs ${missingStart}, which does not exist; write the entry first`,
    });
    return plan;
  }
  const entry = findEntry(pkg);
  if (!entry) {
    plan.unsafe.push({
      file: pkg.relDir,
      line: 0,
      code: pkg.name,
      reason: 'no entry point (src/main.ts) found',
    });
    return plan;
  }
  const setupFn = pkg.critical ? 'setupCriticalLogging' : 'setupUtilityLogging';
  const parsed = new Map<string, Parsed>();
  for (const file of listSourceFiles(pkg)) {
    const text = fs.readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    parsed.set(file, { file, text, source, edits: [] });
  }
  const entryParsed = parsed.get(entry);
  if (!entryParsed) {
    plan.unsafe.push({
      file: rel(entry),
      line: 0,
      code: '',
      reason: 'the entry is not among the audited sources',
    });
    return plan;
  }

  const sites = [...parsed.values()].flatMap((p) => findSites(p, unsafe));
  const foreign = sites.filter((s) => s.library !== 'drift');
  const drift = sites.filter((s) => s.library === 'drift');
  if (foreign.length > 1 || (foreign.length === 1 && drift.length > 0)) {
    for (const s of foreign) {
      unsafe(parsed.get(s.file)!, s.init, `one of several loggers in this app (${s.library}); keep one`);
    }
    return plan;
  }
  // Several @drift/logging loggers are several processes (main.ts, a script): use the entry's.
  const site = foreign[0] ?? drift.find((s) => s.file === entry) ?? drift.find((s) => s.exported) ?? drift[0];
  const consoleFiles = [...parsed.values()].filter((p) => hasConsoleCall(p.source));

  // Where the app logger lives, and whether a file has to be created for it.
  let loggerFile: string;
  let loggerName: string;
  let loggerExported: boolean;
  let newLoggerFile = false;
  if (site) {
    loggerFile = site.file;
    loggerName = site.name;
    loggerExported = site.exported;
  } else if (consoleFiles.every((p) => p.file === entry)) {
    loggerFile = entry;
    loggerName = 'logger';
    loggerExported = false;
    if (declares(entryParsed.source, loggerName)) {
      unsafe(entryParsed, entryParsed.source, 'the entry already declares "logger"');
      return plan;
    }
  } else {
    loggerFile = path.join(pkg.dir, 'src', 'logger.ts');
    loggerName = 'logger';
    loggerExported = true;
    newLoggerFile = true;
    if (fs.existsSync(loggerFile)) {
      plan.unsafe.push({
        file: rel(loggerFile),
        line: 1,
        code: '',
        reason: 'src/logger.ts exists but makes no logger',
      });
      return plan;
    }
  }
  const style: ArgStyle = site?.library === 'winston' ? 'console' : 'pino';
  const levelMap =
    site?.library === 'winston' ? WINSTON_LEVEL : Object.fromEntries(PINO_LEVELS.map((l) => [l, l]));

  for (const p of parsed.values()) {
    // The name the app logger has in this file, if it is in scope already.
    let local = p.file === loggerFile ? loggerName : importedName(p, loggerFile, loggerName);
    const needsLogger = hasConsoleCall(p.source);
    if (needsLogger && local === undefined && newLoggerFile && p.file === entry) {
      local = loggerName; // imported first thing below, with the new logger file
    } else if (needsLogger && local === undefined) {
      if (!loggerExported) {
        unsafe(
          p,
          firstConsoleCall(p.source)!,
          `the app logger lives unexported in ${rel(loggerFile)}; pass it in`,
        );
        continue;
      }
      if (declares(p.source, loggerName)) {
        unsafe(p, firstConsoleCall(p.source)!, `"${loggerName}" is already declared here`);
        continue;
      }
      local = loggerName;
      p.edits.push(
        importEdit(p, `import { ${loggerName} } from '${relativeSpecifier(p.file, loggerFile)}';\n`, 'last'),
      );
    }
    rewriteCalls(p, local, style, levelMap, site?.library, unsafe);
    retargetPinoTypes(p, site?.libraryImport, unsafe);
  }

  // Create or replace the logger itself.
  const appName = pkg.logName;
  const creation = `${setupFn}('${appName}')`;
  if (site && site.library !== 'drift') {
    const p = parsed.get(site.file)!;
    p.edits.push({ start: site.init.getStart(p.source), end: site.init.end, text: creation });
    if (site.libraryImport) {
      const others = otherUses(p, site.libraryImport, site.init);
      if (others.length === 0) p.edits.push(removalEdit(p, site.libraryImport));
      else for (const use of others) unsafe(p, use, `${site.library} is used here beyond making the logger`);
    }
    p.edits.push(importEdit(p, `import { ${setupFn} } from '${LOGGING}';\n`, 'first'));
  } else if (!site && !newLoggerFile) {
    const p = entryParsed;
    const used = consoleFiles.length > 0;
    const started = used ? '' : `${loggerName}.info('started');\n`;
    p.edits.push(importEdit(p, `import { ${setupFn} } from '${LOGGING}';\n`, 'first'));
    p.edits.push(afterImportsEdit(p, `\nconst ${loggerName} = ${creation};\n${started}`));
  } else if (newLoggerFile) {
    const text = `import { ${setupFn} } from '${LOGGING}';\n\n/** The app's one logger, created on the entry's first import. */\nexport const ${loggerName} = ${creation};\n`;
    plan.changes.push({ file: loggerFile, before: undefined, after: text });
    const spec = relativeSpecifier(entry, loggerFile);
    if (importedName(entryParsed, loggerFile, loggerName) === undefined) {
      const usesLogger = hasConsoleCall(entryParsed.source);
      // First import of the entry, so the logger exists before any other module runs.
      entryParsed.edits.push(
        importEdit(
          entryParsed,
          usesLogger ? `import { ${loggerName} } from '${spec}';\n` : `import '${spec}';\n`,
          'first',
        ),
      );
    }
  }

  for (const p of parsed.values()) {
    if (p.edits.length === 0) continue;
    const after = applyEdits(p.text, p.edits);
    if (after !== p.text) plan.changes.push({ file: p.file, before: p.text, after });
  }
  const pkgChange = planPackageJson(pkg, plan.changes, parsed);
  if (pkgChange) plan.changes.push(pkgChange);
  plan.changes.sort((a, b) => a.file.localeCompare(b.file));
  return plan;
}

function findSites(p: Parsed, unsafe: (p: Parsed, n: ts.Node, r: string) => void): LoggerSite[] {
  const bindings = libraryBindings(p.source);
  const sites: LoggerSite[] = [];
  for (const statement of p.source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer || !ts.isCallExpression(decl.initializer))
        continue;
      const lib = factoryLibrary(decl.initializer, bindings);
      if (!lib) continue;
      const libraryImport = lib === 'drift' ? undefined : bindings.get(factoryRoot(decl.initializer)!)?.decl;
      sites.push({
        file: p.file,
        name: decl.name.text,
        exported,
        library: lib,
        init: decl.initializer,
        ...(libraryImport ? { libraryImport } : {}),
      });
    }
  }
  // Foreign loggers used any other way (made inside functions, `debug` namespaces, ...) are not guessed at.
  const siteInits = new Set(sites.map((s) => s.init));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && !siteInits.has(node)) {
      const lib = factoryLibrary(node, bindings);
      if (lib && lib !== 'drift') unsafe(p, node, `a ${lib} logger made outside a top-level const`);
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  for (const { decl, library } of bindings.values()) {
    if (library === 'debug') unsafe(p, decl, 'the debug library: decide per namespace which lines to keep');
  }
  return sites;
}

interface Binding {
  library: string;
  decl: ts.ImportDeclaration;
  /** The imported name (`default` for default and namespace imports). */
  imported: string;
}

function libraryBindings(source: ts.SourceFile): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.importClause?.isTypeOnly)
      continue;
    const library = s.moduleSpecifier.text;
    if (!FOREIGN.has(library) && library !== LOGGING) continue;
    const clause = s.importClause;
    if (!clause) continue;
    if (clause.name) out.set(clause.name.text, { library, decl: s, imported: 'default' });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) out.set(nb.name.text, { library, decl: s, imported: 'default' });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (!el.isTypeOnly)
          out.set(el.name.text, { library, decl: s, imported: (el.propertyName ?? el.name).text });
      }
    }
  }
  return out;
}

function factoryRoot(call: ts.CallExpression): string | undefined {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression)) return c.expression.text;
  return undefined;
}

function factoryLibrary(call: ts.CallExpression, bindings: Map<string, Binding>): Library | undefined {
  const root = factoryRoot(call);
  const b = root ? bindings.get(root) : undefined;
  if (!b) return undefined;
  const c = call.expression;
  const member = ts.isPropertyAccessExpression(c) ? c.name.text : b.imported;
  if (b.library === LOGGING) {
    return ['setupCriticalLogging', 'setupUtilityLogging', 'createLogger'].includes(member)
      ? 'drift'
      : undefined;
  }
  if ((b.library === 'winston' || b.library === 'bunyan') && member === 'createLogger') return b.library;
  if (
    b.library === 'pino' &&
    (member === 'default' || member === 'pino') &&
    !ts.isPropertyAccessExpression(c)
  ) {
    return 'pino';
  }
  if (b.library === 'pino' && ts.isPropertyAccessExpression(c) && c.name.text === 'pino') return 'pino';
  return undefined;
}

function rewriteCalls(
  p: Parsed,
  loggerLocal: string | undefined,
  style: ArgStyle,
  levelMap: Record<string, string>,
  library: Library | undefined,
  unsafe: (p: Parsed, n: ts.Node, r: string) => void,
): void {
  const catchNames: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCatchClause(node)) {
      const n = node.variableDeclaration?.name;
      catchNames.push(n && ts.isIdentifier(n) ? n.text : '');
      ts.forEachChild(node, visit);
      catchNames.pop();
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const recv = node.expression.expression;
      const method = node.expression.name.text;
      if (ts.isIdentifier(recv) && recv.text === 'console' && loggerLocal !== undefined) {
        const level = CONSOLE_LEVEL[method];
        if (!level) unsafe(p, node, `console.${method} has no log level`);
        else if (rewriteOne(p, node, loggerLocal, level, 'console', catchNames, unsafe)) return;
        return;
      }
      if (
        ts.isIdentifier(recv) &&
        recv.text === loggerLocal &&
        library !== undefined &&
        library !== 'drift'
      ) {
        const level = levelMap[method];
        if (level) {
          if (rewriteOne(p, node, loggerLocal, level, style, catchNames, unsafe)) return;
        } else if (method !== 'child' && method !== 'flush') {
          unsafe(p, node, `${library} logger method "${method}" has no pino equivalent`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
}

/** Returns true when the call was rewritten (its arguments are then not visited again). */
function rewriteOne(
  p: Parsed,
  call: ts.CallExpression,
  logger: string,
  level: string,
  style: ArgStyle,
  catchNames: string[],
  unsafe: (p: Parsed, n: ts.Node, r: string) => void,
): boolean {
  const result = rewriteLogArgs(call.arguments, p.source, catchNames, style);
  if (result.kind === 'unsafe') {
    unsafe(p, call, result.reason);
    return false;
  }
  const callee = call.expression as ts.PropertyAccessExpression;
  const newCallee = `${logger}.${level}`;
  if (result.kind === 'same' && callee.getText(p.source) === newCallee) return false;
  const args =
    result.kind === 'same' ? call.arguments.map((a) => a.getText(p.source)).join(', ') : result.text;
  p.edits.push({ start: call.getStart(p.source), end: call.end, text: `${newCallee}(${args})` });
  return true;
}

/** `import type { Logger } from 'pino'` -> from '@drift/logging', which exports the same type. */
function retargetPinoTypes(
  p: Parsed,
  removed: ts.ImportDeclaration | undefined,
  unsafe: (p: Parsed, n: ts.Node, r: string) => void,
): void {
  for (const s of p.source.statements) {
    if (s === removed) continue;
    if (
      !ts.isImportDeclaration(s) ||
      !ts.isStringLiteral(s.moduleSpecifier) ||
      s.moduleSpecifier.text !== 'pino'
    ) {
      continue;
    }
    const clause = s.importClause;
    const nb = clause?.namedBindings;
    const allTypes =
      clause !== undefined &&
      clause.name === undefined &&
      nb !== undefined &&
      ts.isNamedImports(nb) &&
      nb.elements.every(
        (el) => (clause.isTypeOnly || el.isTypeOnly) && (el.propertyName ?? el.name).text === 'Logger',
      );
    if (allTypes) {
      p.edits.push({
        start: s.moduleSpecifier.getStart(p.source),
        end: s.moduleSpecifier.end,
        text: `'${LOGGING}'`,
      });
    } else {
      unsafe(p, s, 'imports pino directly; use the Logger type from @drift/logging');
    }
  }
}

function planPackageJson(
  pkg: WorkspacePackage,
  changes: FileChange[],
  parsed: Map<string, Parsed>,
): FileChange | undefined {
  const file = path.join(pkg.dir, 'package.json');
  const before = fs.readFileSync(file, 'utf8');
  const json = JSON.parse(before) as Record<string, unknown>;
  const deps = { ...((json.dependencies as Record<string, string> | undefined) ?? {}) };
  let changed = false;
  if (!deps[LOGGING]) {
    deps[LOGGING] = 'workspace:*';
    changed = true;
  }
  // Drop a logging library nothing imports any more.
  const texts = new Map([...parsed].map(([f, p]) => [f, p.text]));
  for (const c of changes) texts.set(c.file, c.after);
  const stillImported = new Set([...texts].flatMap(([f, text]) => scanSource(f, text).imports));
  for (const lib of ['winston', 'bunyan', 'pino']) {
    if (deps[lib] !== undefined && !stillImported.has(lib)) {
      delete deps[lib];
      changed = true;
    }
  }
  if (!changed) return undefined;
  json.dependencies = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const indent = /^(\s+)"/m.exec(before)?.[1] ?? '  ';
  return { file, before, after: `${JSON.stringify(json, null, indent)}\n` };
}

/** References to an import's bindings outside the import itself and the logger's initializer. */
function otherUses(p: Parsed, decl: ts.ImportDeclaration, init: ts.Node): ts.Identifier[] {
  const names = new Set<string>();
  const clause = decl.importClause;
  if (clause?.name) names.add(clause.name.text);
  const nb = clause?.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
  if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) names.add(el.name.text);
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (node === decl || node === init) return;
    if (ts.isIdentifier(node) && names.has(node.text)) {
      const parent = node.parent;
      const isMemberName = parent && ts.isPropertyAccessExpression(parent) && parent.name === node;
      if (!isMemberName) uses.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return uses;
}

function hasConsoleCall(source: ts.SourceFile): boolean {
  return firstConsoleCall(source) !== undefined;
}

function firstConsoleCall(source: ts.SourceFile): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'console'
    ) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The local name under which a file imports `name` from `target`, if it does. */
function importedName(p: Parsed, target: string, name: string): string | undefined {
  for (const s of p.source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    if (!s.moduleSpecifier.text.startsWith('.') || resolveRelative(p.file, s.moduleSpecifier.text) !== target)
      continue;
    const nb = s.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) if ((el.propertyName ?? el.name).text === name) return el.name.text;
    }
  }
  return undefined;
}

function declares(source: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function relativeSpecifier(from: string, to: string): string {
  const r = path
    .relative(path.dirname(from), to)
    .split(path.sep)
    .join('/')
    .replace(/\.tsx?$/, '.js');
  return r.startsWith('.') ? r : `./${r}`;
}

function importEdit(p: Parsed, text: string, where: 'first' | 'last'): Edit {
  const imports = p.source.statements.filter(ts.isImportDeclaration);
  if (imports.length === 0) {
    const first = p.source.statements[0];
    const at = first ? first.getStart(p.source) : p.text.length;
    return { start: at, end: at, text: first ? `${text}\n` : text };
  }
  if (where === 'first') {
    const at = imports[0]!.getStart(p.source);
    return { start: at, end: at, text };
  }
  const at = lineEnd(p.text, imports[imports.length - 1]!.end);
  return { start: at, end: at, text };
}

function afterImportsEdit(p: Parsed, text: string): Edit {
  const imports = p.source.statements.filter(ts.isImportDeclaration);
  if (imports.length === 0) return { start: 0, end: 0, text: `${text.trimStart()}\n` };
  const at = lineEnd(p.text, imports[imports.length - 1]!.end);
  return { start: at, end: at, text };
}

function removalEdit(p: Parsed, node: ts.Node): Edit {
  return { start: node.getStart(p.source), end: lineEnd(p.text, node.end), text: '' };
}

function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}
