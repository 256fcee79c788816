// Syntax-level facts about one source file, read with the TypeScript compiler API (through ts-morph).
import { ts } from 'ts-morph';

export type ForeignLibrary = 'winston' | 'bunyan' | 'debug' | 'pino';
export type SetupKind = 'setupCriticalLogging' | 'setupUtilityLogging' | 'createLogger';
export type LogCallWarningKind = 'error-as-string' | 'template-message' | 'secret-value';

export interface LoggingSetup {
  kind: SetupKind;
  appName?: string;
  fileLoggingOff: boolean;
  line: number;
}

export interface FileFacts {
  file: string;
  /** Every module specifier imported or required, type-only imports included. */
  imports: string[];
  relativeImports: string[];
  setups: LoggingSetup[];
  consoleCalls: { method: string; line: number }[];
  foreignLoggers: { library: ForeignLibrary; line: number }[];
  fileLoggingOff: { line: number; how: string }[];
  logCallWarnings: { kind: LogCallWarningKind; line: number; detail: string }[];
}

const FOREIGN: ReadonlySet<string> = new Set(['winston', 'bunyan', 'debug']);
const SETUPS: ReadonlySet<string> = new Set(['setupCriticalLogging', 'setupUtilityLogging', 'createLogger']);
const LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const ERROR_NAMES: ReadonlySet<string> = new Set(['e', 'err', 'error', 'ex', 'exc', 'exception', 'reason']);
// Names the logger redacts anyway; logging them on purpose is still worth a warning.
const SECRET_NAME =
  /secret|private_?key|keypair|mnemonic|seed|passw(or)?d|passphrase|authorization|token|api_?key/i;

export function scanSource(file: string, text: string): FileFacts {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const facts: FileFacts = {
    file,
    imports: [],
    relativeImports: [],
    setups: [],
    consoleCalls: [],
    foreignLoggers: [],
    fileLoggingOff: [],
    logCallWarnings: [],
  };
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const loggingNames = new Map<string, string>(); // local name -> export of @drift/logging
  const loggingNamespaces = new Set<string>();
  const pinoNames = new Set<string>();
  const catchNames: string[] = [];

  const noteModule = (specifier: string, node: ts.Node, typeOnly: boolean) => {
    facts.imports.push(specifier);
    if (specifier.startsWith('.')) facts.relativeImports.push(specifier);
    if (!typeOnly && FOREIGN.has(specifier)) {
      facts.foreignLoggers.push({ library: specifier as ForeignLibrary, line: lineOf(node) });
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      const clause = node.importClause;
      noteModule(specifier, node, clause?.isTypeOnly === true);
      if (clause && !clause.isTypeOnly) bindImports(specifier, clause);
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      noteModule(node.moduleSpecifier.text, node, node.isTypeOnly);
    }
    if (ts.isCatchClause(node)) {
      const name = node.variableDeclaration?.name;
      catchNames.push(name && ts.isIdentifier(name) ? name.text : '');
      ts.forEachChild(node, visit);
      catchNames.pop();
      return;
    }
    if (ts.isCallExpression(node)) visitCall(node);
    else if (
      ts.isPropertyAccessExpression(node) &&
      SETUPS.has(node.name.text) &&
      isLoggingNamespace(node.expression)
    ) {
      // A setup function taken by reference (`const setup = logging.setupCriticalLogging`), called later.
      const called = ts.isCallExpression(node.parent) && node.parent.expression === node;
      if (!called)
        facts.setups.push({ kind: node.name.text as SetupKind, fileLoggingOff: false, line: lineOf(node) });
    } else if (ts.isIdentifier(node) && SETUPS.has(loggingNames.get(node.text) ?? '') && isPassedOn(node)) {
      // An imported setup function handed to the code that calls it (bot-runtime's `runBot`).
      const kind = loggingNames.get(node.text) as SetupKind;
      facts.setups.push({ kind, fileLoggingOff: false, line: lineOf(node) });
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (envName(node.left) === 'LOG_FILE_ENABLED' && isFalsyLiteral(node.right)) {
        facts.fileLoggingOff.push({ line: lineOf(node), how: 'process.env.LOG_FILE_ENABLED set to false' });
      }
    }
    ts.forEachChild(node, visit);
  };

  const bindImports = (specifier: string, clause: ts.ImportClause) => {
    const bindings = clause.namedBindings;
    if (specifier === '@drift/logging') {
      if (bindings && ts.isNamespaceImport(bindings)) loggingNamespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          if (!el.isTypeOnly) loggingNames.set(el.name.text, (el.propertyName ?? el.name).text);
        }
      }
    }
    if (specifier === 'pino') {
      if (clause.name) pinoNames.add(clause.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) pinoNames.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          if (!el.isTypeOnly && (el.propertyName ?? el.name).text === 'pino') pinoNames.add(el.name.text);
        }
      }
    }
  };

  const visitCall = (call: ts.CallExpression) => {
    const callee = call.expression;
    // require('x') and import('x')
    const first = call.arguments[0];
    if (
      first &&
      ts.isStringLiteral(first) &&
      (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
    ) {
      noteModule(first.text, call, false);
      return;
    }
    const setup = setupName(callee);
    if (setup) {
      facts.setups.push(readSetup(setup, call, lineOf(call)));
      return;
    }
    if (ts.isIdentifier(callee) && pinoNames.has(callee.text)) {
      facts.foreignLoggers.push({ library: 'pino', line: lineOf(call) });
      return;
    }
    if (!ts.isPropertyAccessExpression(callee)) return;
    const receiver = callee.expression;
    const method = callee.name.text;
    if (ts.isIdentifier(receiver) && receiver.text === 'console') {
      facts.consoleCalls.push({ method, line: lineOf(call) });
      return;
    }
    if (ts.isIdentifier(receiver) && pinoNames.has(receiver.text) && method === 'pino') {
      facts.foreignLoggers.push({ library: 'pino', line: lineOf(call) });
      return;
    }
    if (LEVELS.has(method) && looksLikeLogger(receiver)) checkLogCall(call, lineOf(call));
  };

  /** An identifier used as a value: not the callee of a call, not its own import or declaration. */
  const isPassedOn = (node: ts.Identifier): boolean => {
    const parent = node.parent;
    if (ts.isCallExpression(parent) && parent.expression === node) return false;
    if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent))
      return false;
    if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
    return !(ts.isPropertyAccessExpression(parent) && parent.name === node);
  };

  const isLoggingNamespace = (expr: ts.Expression): boolean => {
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
    return ts.isIdentifier(e) && loggingNamespaces.has(e.text);
  };

  const setupName = (callee: ts.Expression): SetupKind | undefined => {
    if (ts.isIdentifier(callee)) {
      const imported = loggingNames.get(callee.text);
      return imported && SETUPS.has(imported) ? (imported as SetupKind) : undefined;
    }
    if (
      ts.isPropertyAccessExpression(callee) &&
      isLoggingNamespace(callee.expression) &&
      SETUPS.has(callee.name.text)
    ) {
      return callee.name.text as SetupKind;
    }
    return undefined;
  };

  const isErrorish = (expr: ts.Expression): boolean => {
    if (ts.isIdentifier(expr)) return ERROR_NAMES.has(expr.text) || catchNames.includes(expr.text);
    if (ts.isPropertyAccessExpression(expr) && (expr.name.text === 'message' || expr.name.text === 'stack')) {
      return isErrorish(expr.expression);
    }
    if (ts.isCallExpression(expr)) {
      const c = expr.expression;
      if (ts.isIdentifier(c) && c.text === 'String' && expr.arguments[0])
        return isErrorish(expr.arguments[0]);
      if (ts.isPropertyAccessExpression(c) && c.name.text === 'toString') return isErrorish(c.expression);
    }
    return ts.isParenthesizedExpression(expr) ? isErrorish(expr.expression) : false;
  };

  const checkLogCall = (call: ts.CallExpression, line: number) => {
    const [a0, a1] = call.arguments;
    const message = a0 && ts.isObjectLiteralExpression(a0) ? a1 : a0;
    for (const arg of call.arguments) {
      if (!ts.isObjectLiteralExpression(arg)) continue;
      for (const prop of arg.properties) {
        const name =
          prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : '';
        if (name && SECRET_NAME.test(name)) {
          facts.logCallWarnings.push({
            kind: 'secret-value',
            line,
            detail: `logs a value named "${name}", which looks secret (redacted by key, or rename it)`,
          });
        }
      }
    }
    if (!message) return;
    const parts = stringParts(message);
    if (!parts) return;
    const errorPart = parts.find(isErrorish);
    if (errorPart) {
      facts.logCallWarnings.push({
        kind: 'error-as-string',
        line,
        detail: `error "${errorPart.getText(source)}" logged inside the message; pass it as { err } to keep the stack`,
      });
    } else if (parts.length > 0 && ts.isTemplateExpression(message)) {
      facts.logCallWarnings.push({
        kind: 'template-message',
        line,
        detail: `template message interpolates ${parts.map((p) => p.getText(source)).join(', ')}; log them as fields`,
      });
    }
    for (const part of parts) {
      if (ts.isIdentifier(part) && SECRET_NAME.test(part.text)) {
        facts.logCallWarnings.push({ kind: 'secret-value', line, detail: `interpolates "${part.text}"` });
      }
    }
  };

  ts.forEachChild(source, visit);
  return facts;
}

/** Interpolated expressions of a string-building expression, or undefined when it is not one. */
function stringParts(expr: ts.Expression): ts.Expression[] | undefined {
  if (ts.isTemplateExpression(expr)) return expr.templateSpans.map((s) => s.expression);
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = stringParts(expr.left) ?? [expr.left];
    const right = stringParts(expr.right) ?? [expr.right];
    return [...left, ...right].filter((e) => !ts.isStringLiteralLike(e));
  }
  if (ts.isStringLiteralLike(expr)) return [];
  if (ts.isPropertyAccessExpression(expr) || ts.isCallExpression(expr)) return [expr];
  return undefined;
}

function readSetup(kind: SetupKind, call: ts.CallExpression, line: number): LoggingSetup {
  const [a0, a1] = call.arguments;
  const options = kind === 'createLogger' ? a0 : a1;
  const nameArg = kind === 'createLogger' ? propertyValue(a0, 'appName') : a0;
  const fileOff = propertyValue(options, 'enableFileLogging');
  return {
    kind,
    ...(nameArg && ts.isStringLiteralLike(nameArg) ? { appName: nameArg.text } : {}),
    fileLoggingOff: fileOff?.kind === ts.SyntaxKind.FalseKeyword,
    line,
  };
}

function propertyValue(obj: ts.Expression | undefined, key: string): ts.Expression | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  for (const prop of obj.properties) {
    if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === key) {
      return prop.initializer;
    }
  }
  return undefined;
}

function looksLikeLogger(receiver: ts.Expression): boolean {
  const name = ts.isIdentifier(receiver)
    ? receiver.text
    : ts.isPropertyAccessExpression(receiver)
      ? receiver.name.text
      : ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)
        ? receiver.expression.name.text // logger.child({...}).info(...)
        : '';
  return name === 'child' || name.toLowerCase().includes('log');
}

function envName(expr: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(expr) && !ts.isElementAccessExpression(expr)) return undefined;
  const target = expr.expression;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== 'env') return undefined;
  if (!ts.isIdentifier(target.expression) || target.expression.text !== 'process') return undefined;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return ts.isStringLiteralLike(expr.argumentExpression) ? expr.argumentExpression.text : undefined;
}

function isFalsyLiteral(expr: ts.Expression): boolean {
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return true;
  return ts.isStringLiteralLike(expr) && ['false', '0', 'no', 'off'].includes(expr.text.toLowerCase());
}

export function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts')) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}
