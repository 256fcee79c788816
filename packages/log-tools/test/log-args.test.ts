import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { type ArgStyle, rewriteLogArgs } from '../src/migrate/log-args.js';

/** Rewrites the arguments of the one call in `code`. */
function rewrite(code: string, style: ArgStyle = 'console', catchNames: string[] = []) {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const call = (source.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
  return rewriteLogArgs(call.arguments, source, catchNames, style);
}

const text = (code: string, style?: ArgStyle, catchNames?: string[]) => {
  const r = rewrite(code, style, catchNames);
  return r.kind === 'rewritten' ? r.text : r.kind;
};

describe('rewriteLogArgs', () => {
  it('turns a trailing error into { err }, whatever the variable is called', () => {
    expect(text("console.error('failed to send', err)")).toBe("{ err }, 'failed to send'");
    expect(text("console.error('failed to send:', caught)", 'console', ['caught'])).toBe(
      "{ err: caught }, 'failed to send'",
    );
    expect(text(`console.error(\`send failed: \${e.message}\`)`)).toBe("{ err: e }, 'send failed'");
    expect(text("console.error('send failed ' + String(error))")).toBe("{ err: error }, 'send failed'");
  });

  it('turns printf placeholders and labelled values into fields', () => {
    expect(text("console.log('order %s filled at price=%d', orderId, px)")).toBe(
      "{ orderId, px }, 'order filled'",
    );
    expect(text("console.log('fill rate 100%% for %s', market)")).toBe("{ market }, 'fill rate 100%'");
  });

  it('names property paths in camelCase and merges object literals', () => {
    expect(text(`console.log(\`fill \${fill.orderId} on \${this.market}\`)`)).toBe(
      "{ fillOrderId: fill.orderId, market: this.market }, 'fill'",
    );
    expect(text("log.info('hedged', { market, size: s })", 'console')).toBe("{ market, size: s }, 'hedged'");
  });

  it('leaves pino-style calls alone', () => {
    expect(rewrite("logger.info({ market }, 'ok')", 'pino').kind).toBe('same');
    expect(rewrite("logger.info('plain')", 'pino').kind).toBe('same');
    expect(text("logger.info('signal %s', signal)", 'pino')).toBe("{ signal }, 'signal'");
  });

  it('refuses what it cannot name, two values with one name, and two errors', () => {
    expect(rewrite("console.log('max', Math.max(a, b))")).toEqual({
      kind: 'unsafe',
      reason: 'cannot name the value "Math.max(a, b)" as a field',
    });
    expect(rewrite(`console.log(\`\${a.id} -> \${b.id}\`)`).kind).toBe('rewritten');
    expect(rewrite("console.log('ids', id, other.id, id)")).toEqual({
      kind: 'unsafe',
      reason: 'two values would both be named "id"',
    });
    expect(rewrite("console.error('both', err, e)")).toEqual({
      kind: 'unsafe',
      reason: 'logs two errors in one line',
    });
    expect(rewrite('console.log()')).toEqual({ kind: 'unsafe', reason: 'logs an empty line' });
  });
});
