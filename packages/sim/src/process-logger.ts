/**
 * The sim process's logger: `setupCriticalLogging('sim')` from @drift/logging (file + console).
 * That package is being built in parallel; until it exports the function, JSON lines go to stderr
 * with the same (fields, message) shape. Remove the fallback once it has landed.
 */

import * as logging from '@drift/logging';
import type { LoggerLike } from '@drift/runtime';
import type { SimLogger } from './log.js';

export type ProcessLogger = SimLogger & LoggerLike;

export function processLogger(appName: string): ProcessLogger {
  const setup = (logging as Record<string, unknown>).setupCriticalLogging;
  if (typeof setup === 'function') return setup(appName) as ProcessLogger;
  return stderrLogger({ app: appName });
}

function stderrLogger(bindings: Record<string, unknown>): ProcessLogger {
  const line = (level: string) => (fields: object, msg?: string) => {
    const out = { level, time: Date.now(), ...bindings, ...serializable(fields), msg };
    process.stderr.write(`${JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    fatal: line('fatal'),
    child: (more) => stderrLogger({ ...bindings, ...more }),
  };
}

function serializable(fields: object): object {
  const err = (fields as { err?: unknown }).err;
  if (!(err instanceof Error)) return fields;
  return { ...fields, err: { type: err.name, message: err.message, stack: err.stack } };
}
