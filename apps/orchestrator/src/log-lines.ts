/** Adapts @drift/logging's parsed line to what the log feed keeps. */
import { type ParsedLogLine, parseLogLine } from '@drift/logging';
import type { ParsedLine } from './log-feed.js';

export function toParsedLine(line: ParsedLogLine | undefined): ParsedLine | undefined {
  return line && { level: line.levelValue, time: line.time.getTime(), msg: line.msg };
}

/** One line of an app's log file, in any of its formats (compact, verbose, json), for the feed. */
export const parseAppLogLine = (line: string): ParsedLine | undefined => toParsedLine(parseLogLine(line));
