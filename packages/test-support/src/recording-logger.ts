/**
 * A logger that keeps every line, child bindings merged in, so a test can assert what was logged
 * (and that no secret was). It has the shape of `@drift/logging`'s `LoggerLike`, the logger every
 * package takes, so one serves them all.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogLine {
  level: LogLevel;
  fields: Record<string, unknown>;
  msg: string;
}

type LogMethod = (fields: object, msg?: string) => void;

export interface RecordingLogger extends Record<LogLevel, LogMethod> {
  readonly lines: LogLine[];
  child(bindings: Record<string, unknown>): RecordingLogger;
}

export function recordingLogger(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): RecordingLogger {
  const at =
    (level: LogLevel): LogMethod =>
    (fields, msg = '') => {
      lines.push({ level, fields: { ...bindings, ...fields }, msg });
    };
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}
