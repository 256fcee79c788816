/**
 * The logger the bot takes: the part of `@drift/logging`'s pino `Logger` it, order-management,
 * drift-client and core's lifecycle use. Tests pass a recording logger of the same shape.
 */
type LogFn = (fields: object, message?: string) => void;

export interface BotLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): BotLogger;
}
