// Reading log files in fixed-size chunks that end on a line boundary, forwards or backwards, so memory
// stays flat however large the file is.
import fs from 'node:fs';

export const CHUNK_BYTES = 1 << 20;
const NL = 0x0a;
// Reused by every call: the readers are synchronous and never nested, and a fresh 1 MiB buffer per file
// is off-heap garbage that shows up in RSS long before V8 collects it.
const SCRATCH = Buffer.allocUnsafe(CHUNK_BYTES);
const LINE_SCRATCH = Buffer.allocUnsafe(64 * 1024);

/**
 * Calls `onChunk(buf, length, offset)` for [start, end) of the file, each chunk holding whole lines only
 * (a line longer than the buffer is cut). Returns early when onChunk returns false.
 */
export function forEachChunk(
  fd: number,
  start: number,
  end: number,
  onChunk: (buf: Buffer, length: number, offset: number) => boolean | undefined,
  buf: Buffer = SCRATCH,
): void {
  let carry = 0;
  let pos = start;
  while (pos < end) {
    const want = Math.min(buf.length - carry, end - pos);
    const n = fs.readSync(fd, buf, carry, want, pos);
    if (n <= 0) break;
    pos += n;
    const filled = carry + n;
    let usable = pos >= end ? filled : buf.lastIndexOf(NL, filled - 1) + 1;
    if (usable === 0) usable = filled; // one line longer than the buffer: hand it over in pieces
    if (onChunk(buf, usable, pos - filled) === false) return;
    carry = filled - usable;
    buf.copy(buf, 0, usable, filled);
  }
}

/** Calls `onLine(text)` for each line of [start, end); stops when it returns false. */
export function forEachLine(
  fd: number,
  start: number,
  end: number,
  onLine: (line: string, offset: number) => boolean | undefined,
): void {
  forEachChunk(fd, start, end, (buf, length, offset) => {
    let s = 0;
    while (s < length) {
      let e = buf.indexOf(NL, s);
      if (e === -1 || e >= length) e = length;
      if (e > s && onLine(buf.toString('utf8', s, buf[e - 1] === 0x0d ? e - 1 : e), offset + s) === false)
        return false;
      s = e + 1;
    }
    return true;
  });
}

/**
 * Calls `onLine(text)` for each line from the end of the file backwards (last line first); stops when it
 * returns false. Reads one chunk at a time.
 */
export function forEachLineBackwards(
  fd: number,
  size: number,
  onLine: (line: string) => boolean | undefined,
): void {
  const buf = SCRATCH;
  let end = size;
  let tail = Buffer.alloc(0); // start of a line cut by the previous (later) chunk
  while (end > 0) {
    const start = Math.max(0, end - CHUNK_BYTES);
    const n = fs.readSync(fd, buf, 0, end - start, start);
    const chunk = tail.length ? Buffer.concat([buf.subarray(0, n), tail]) : buf.subarray(0, n);
    let e = chunk.length;
    let nl = chunk.lastIndexOf(NL, e - 1);
    while (nl !== -1) {
      if (e - nl > 1 && onLine(chunk.toString('utf8', nl + 1, e).replace(/\r$/, '')) === false) return;
      e = nl;
      nl = e > 0 ? chunk.lastIndexOf(NL, e - 1) : -1;
    }
    tail = Buffer.from(chunk.subarray(0, e));
    end = start;
  }
  if (tail.length > 0) onLine(tail.toString('utf8').replace(/\r$/, ''));
}

/** The first whole line starting at or after `offset`, with its offset; undefined past the last line. */
export function lineFrom(
  fd: number,
  offset: number,
  size: number,
): { line: string; offset: number } | undefined {
  const buf = LINE_SCRATCH;
  let pos = offset;
  if (offset > 0) {
    // Skip the rest of the line `offset` falls into.
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos - 1);
      if (n <= 0) return undefined;
      const nl = buf.indexOf(NL);
      if (nl !== -1 && nl < n) {
        pos = pos - 1 + nl + 1;
        break;
      }
      pos += n;
    }
  }
  if (pos >= size) return undefined;
  const n = fs.readSync(fd, buf, 0, buf.length, pos);
  const nl = buf.indexOf(NL);
  const end = nl === -1 || nl >= n ? n : nl;
  return { line: buf.toString('utf8', 0, end), offset: pos };
}
