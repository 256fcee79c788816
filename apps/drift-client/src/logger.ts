/**
 * The logger drift-client accepts: the part of @drift/logging's pino `Logger` it uses. A pino
 * logger (what `setupCriticalLogging` returns) satisfies it as is.
 */
type LogFn = (fields: object, message?: string) => void;

export interface Logger {
  child(bindings: Record<string, unknown>): Logger;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
