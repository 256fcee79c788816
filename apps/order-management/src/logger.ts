type LogMethod = (fields: object, message?: string) => void;

/** The part of a pino `Logger` order-management uses; `@drift/logging`'s loggers satisfy it. */
export interface OrderLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  child(bindings: Record<string, unknown>): OrderLogger;
}
