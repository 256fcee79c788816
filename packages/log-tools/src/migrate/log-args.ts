// Rewrites a logging call's arguments to pino's (fields, message) convention, or says why it cannot.
import { ts } from 'ts-morph';

export type ArgStyle = 'console' | 'pino';

export type ArgRewrite =
  | { kind: 'same' }
  | { kind: 'rewritten'; text: string }
  | { kind: 'unsafe'; reason: string };

const ERROR_NAMES: ReadonlySet<string> = new Set(['e', 'err', 'error', 'ex', 'exc', 'exception', 'reason']);
const PLACEHOLDER = /%[sdifjoOc%]/g;

interface Pieces {
  text: string[];
  fields: Map<string, string>;
  hasErr: boolean;
}

/**
 * `console` style: every argument is printed (console.*, winston's (message, meta)).
 * `pino` style: calls whose first argument is not a string already follow (fields, message) and stay.
 */
export function rewriteLogArgs(
  args: readonly ts.Expression[],
  source: ts.SourceFile,
  catchNames: readonly string[],
  style: ArgStyle,
): ArgRewrite {
  const [first, ...rest] = args;
  if (!first) return { kind: 'unsafe', reason: 'logs an empty line' };
  if (style === 'pino' && !isStringy(first)) return { kind: 'same' };
  if (style === 'pino' && ts.isStringLiteralLike(first) && rest.length === 0) return { kind: 'same' };

  const pieces: Pieces = { text: [], fields: new Map(), hasErr: false };
  const errorish = (e: ts.Expression) => isErrorish(e, catchNames);
  const addField = (expr: ts.Expression): string | undefined => {
    const named = fieldFor(expr, source, errorish, pieces.hasErr);
    if (typeof named !== 'object')
      return named ?? `cannot name the value "${expr.getText(source)}" as a field`;
    if (pieces.fields.has(named.key)) return `two values would both be named "${named.key}"`;
    if (named.key === 'err') pieces.hasErr = true;
    pieces.fields.set(named.key, named.value);
    return undefined;
  };

  let remaining = rest;
  if (ts.isStringLiteralLike(first) && PLACEHOLDER.test(first.text)) {
    PLACEHOLDER.lastIndex = 0;
    const literal = first.text;
    let last = 0;
    for (const m of literal.matchAll(PLACEHOLDER)) {
      pieces.text.push(literal.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[0] === '%%') {
        pieces.text.push('%');
        continue;
      }
      if (m[0] === '%c') return { kind: 'unsafe', reason: 'uses a %c style placeholder' };
      const [arg, ...after] = remaining;
      remaining = after;
      if (!arg) return { kind: 'unsafe', reason: `placeholder ${m[0]} has no argument` };
      const problem = addField(arg);
      if (problem) return { kind: 'unsafe', reason: problem };
      pieces.text.push('\uE000');
    }
    pieces.text.push(literal.slice(last));
  } else {
    const problem = collectString(first, pieces, addField);
    if (problem) return { kind: 'unsafe', reason: problem };
  }
  for (const arg of remaining) {
    if (ts.isStringLiteralLike(arg)) {
      pieces.text.push(` ${arg.text}`);
    } else if (ts.isObjectLiteralExpression(arg)) {
      for (const prop of arg.properties) {
        if (ts.isShorthandPropertyAssignment(prop) || ts.isPropertyAssignment(prop)) {
          const key = prop.name.getText(source);
          if (pieces.fields.has(key))
            return { kind: 'unsafe', reason: `two values would both be named "${key}"` };
          pieces.fields.set(key, ts.isPropertyAssignment(prop) ? prop.initializer.getText(source) : key);
        } else return { kind: 'unsafe', reason: `cannot merge "${prop.getText(source)}" into the fields` };
      }
    } else {
      const problem = addField(arg);
      if (problem) return { kind: 'unsafe', reason: problem };
    }
  }
  const message = cleanMessage(pieces.text.join(''));
  const fields = [...pieces.fields].map(([k, v]) => (k === v ? k : `${k}: ${v}`));
  const parts = [
    ...(fields.length ? [`{ ${fields.join(', ')} }`] : []),
    ...(message ? [quote(message)] : []),
  ];
  if (parts.length === 0) return { kind: 'unsafe', reason: 'nothing left to log' };
  const text = parts.join(', ');
  const original = args.map((a) => a.getText(source)).join(', ');
  return text === original ? { kind: 'same' } : { kind: 'rewritten', text };
}

function isStringy(expr: ts.Expression): boolean {
  return ts.isStringLiteralLike(expr) || ts.isTemplateExpression(expr) || isConcat(expr);
}

function isConcat(expr: ts.Expression): expr is ts.BinaryExpression {
  return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** Flattens a string, template literal or `+` chain into text pieces and fields. */
function collectString(
  expr: ts.Expression,
  pieces: Pieces,
  addField: (e: ts.Expression) => string | undefined,
): string | undefined {
  if (ts.isStringLiteralLike(expr)) {
    pieces.text.push(expr.text);
    return undefined;
  }
  if (ts.isTemplateExpression(expr)) {
    pieces.text.push(expr.head.text);
    for (const span of expr.templateSpans) {
      const problem = addField(span.expression);
      if (problem) return problem;
      pieces.text.push('\uE000', span.literal.text);
    }
    return undefined;
  }
  if (isConcat(expr) && (isStringy(expr.left) || isStringy(expr.right))) {
    return collectString(expr.left, pieces, addField) ?? collectString(expr.right, pieces, addField);
  }
  if (ts.isParenthesizedExpression(expr)) return collectString(expr.expression, pieces, addField);
  // A lone value: it becomes a field and the line has no message.
  return addField(expr);
}

function isErrorish(expr: ts.Expression, catchNames: readonly string[]): boolean {
  return ts.isIdentifier(expr) && (ERROR_NAMES.has(expr.text) || catchNames.includes(expr.text));
}

/** The field a value is logged under: its own name, a camelCased property path, or `err` for an error. */
function fieldFor(
  expr: ts.Expression,
  source: ts.SourceFile,
  errorish: (e: ts.Expression) => boolean,
  hasErr: boolean,
): { key: string; value: string } | string | undefined {
  let target = expr;
  while (
    ts.isParenthesizedExpression(target) ||
    ts.isAsExpression(target) ||
    ts.isNonNullExpression(target)
  ) {
    target = target.expression;
  }
  // err.message, err.stack, String(err), err.toString() all log the error itself, stack included.
  let errorBase: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(target) && ['message', 'stack'].includes(target.name.text)) {
    errorBase = target.expression;
  } else if (ts.isCallExpression(target) && target.arguments.length <= 1) {
    const c = target.expression;
    if (ts.isIdentifier(c) && c.text === 'String' && target.arguments[0]) errorBase = target.arguments[0];
    if (ts.isPropertyAccessExpression(c) && c.name.text === 'toString' && target.arguments.length === 0) {
      errorBase = c.expression;
    }
  } else errorBase = target;
  if (errorBase && errorish(errorBase)) {
    if (hasErr) return 'logs two errors in one line';
    const text = errorBase.getText(source);
    return { key: 'err', value: text };
  }
  const path = propertyPath(target);
  if (!path) return undefined;
  const key = path.length === 1 ? path[0]! : path[0]! + path.slice(1).map(capitalize).join('');
  return { key, value: expr.getText(source) };
}

function propertyPath(expr: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(expr)) return [expr.text];
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.name)) {
    if (expr.expression.kind === ts.SyntaxKind.ThisKeyword) return [expr.name.text];
    const base = propertyPath(expr.expression);
    return base ? [...base, expr.name.text] : undefined;
  }
  return undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Drops placeholders, a preposition left dangling at the end, (and a `name=` or `name:` label glued to one), spaces and trailing punctuation. */
function cleanMessage(raw: string): string {
  return raw
    .replace(/[\w.-]+[=:]\uE000/g, '')
    .replace(/\uE000/g, '')
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/\s+([:,.;!?])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s:=,;-]+$/, '')
    .replace(/\s+(on|at|for|to|of|in|with|from|by)$/i, '')
    .trim();
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
