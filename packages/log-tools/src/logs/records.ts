// Log records as the tools see them: a parsed head line (through @drift/logging's parser) plus the
// indented lines (an error's stack) that follow it.
import { parseLogLine } from '@drift/logging';
import { lineFrom } from './chunks.js';

export type { ParsedLogLine as ParsedLine } from '@drift/logging';

/**
 * Offset of the first line whose time is at or after `since`, by binary search over the file (log files
 * are written in time order). Lines that do not parse (stack lines) are skipped over.
 */
export function offsetAtTime(fd: number, size: number, since: number): number {
  let lo = 0;
  let hi = size;
  while (hi - lo > 4096) {
    const mid = Math.floor((lo + hi) / 2);
    const t = firstTimeFrom(fd, mid, hi);
    if (t === undefined || t >= since) hi = mid;
    else lo = mid;
  }
  return lo;
}

function firstTimeFrom(fd: number, offset: number, limit: number): number | undefined {
  let pos = offset;
  for (let i = 0; i < 50 && pos < limit; i++) {
    const found = lineFrom(fd, pos, limit);
    if (!found) return undefined;
    const parsed = parseLogLine(found.line);
    if (parsed) return parsed.time.getTime();
    pos = found.offset + Buffer.byteLength(found.line) + 1;
  }
  return undefined;
}
