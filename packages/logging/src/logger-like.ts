/**
 * The logger library code takes: the part of pino's `Logger` the fleet uses, pino's
 * `(fields, message)` convention. What `setupCriticalLogging` returns satisfies it as is, and so
 * does a test's recording logger; a package declares no logger interface of its own.
 */
export type LogMethod = (fields: object, message?: string) => void;

export interface LoggerLike {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  child(bindings: Record<string, unknown>): LoggerLike;
}
