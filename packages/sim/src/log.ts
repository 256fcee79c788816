/** The part of a pino `Logger` the simulator uses; @drift/logging's loggers satisfy it. */
export interface SimLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: Record<string, unknown>): SimLogger;
}

/** Discards everything: the default when the embedding app passes no logger. */
export const silentLogger: SimLogger = {
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
