/** Adapts @drift/logging's parsed line to what the log feed keeps. */
import type { ParsedLogLine } from '@drift/logging';
import type { ParsedLine } from './log-feed.js';

export function toParsedLine(line: ParsedLogLine | undefined): ParsedLine | undefined {
  return line && { level: line.levelValue, time: line.time.getTime(), msg: line.msg };
}
