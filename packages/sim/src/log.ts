import type { LoggerLike } from '@drift/logging';

/** Discards everything: the default when the embedding app passes no logger. */
export const silentLogger: LoggerLike = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child() {
    return silentLogger;
  },
};
