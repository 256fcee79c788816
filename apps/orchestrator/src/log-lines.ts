/** Adapts a record from @drift/logging's `parseLogLine` to what the log feed needs. */
import type { ParsedLine } from './log-feed.js';

const LEVEL_NUMBERS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export function toParsedLine(record: unknown): ParsedLine | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as { level?: unknown; time?: unknown; msg?: unknown };
  const level = typeof r.level === 'number' ? r.level : LEVEL_NUMBERS[String(r.level).toLowerCase()];
  if (level === undefined) return undefined;
  const time = typeof r.time === 'number' ? r.time : Date.parse(String(r.time));
  return {
    level,
    time: Number.isFinite(time) ? time : Date.now(),
    msg: typeof r.msg === 'string' ? r.msg : '',
  };
}
