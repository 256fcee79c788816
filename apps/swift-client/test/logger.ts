/** A logger that records what it is given (tests assert on it, e.g. that no secret is logged). */
import type { Logger } from 'drift-client';

export interface Recorded {
  level: string;
  fields: object;
  message?: string;
}

export function recordingLogger(
  lines: Recorded[] = [],
  bindings: object = {},
): Logger & { lines: Recorded[] } {
  const log = (level: string) => (fields: object, message?: string) => {
    lines.push({ level, fields: { ...bindings, ...fields }, ...(message !== undefined && { message }) });
  };
  return {
    lines,
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}
