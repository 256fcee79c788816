// One app's log records in time order across its rotated files, read in chunks; and, when following,
// the lines appended since, across rotation.
import fs from 'node:fs';
import { parseLogLine } from '@drift/logging';
import { InputError } from '../input-error.js';
import { appLogFiles } from '../logs/app-files.js';
import { forEachChunk, forEachLineBackwards } from '../logs/chunks.js';
import { offsetAtTime, type ParsedLine } from '../logs/records.js';
import { matches, prefilterNeedle, type RecordFilter } from './filter.js';

export interface LogRecord {
  app: string;
  time: number;
  /** The head line plus continuation lines (an error's stack), newline-joined. */
  text: string;
  parsed: ParsedLine;
}

const NL = 0x0a;

function openLog(file: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    throw new InputError(`cannot read log file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}

/**
 * Streams the matching records of [start, end) of one file. Lines without a timestamp that follow a
 * matching record (stack lines) are appended to it.
 */
export function* fileRecords(
  app: string,
  file: string,
  filter: RecordFilter,
  from = 0,
  to?: number,
): Generator<LogRecord> {
  const fd = openLog(file);
  try {
    const size = to ?? fs.fstatSync(fd).size;
    const start = filter.since !== undefined && from === 0 ? offsetAtTime(fd, size, filter.since) : from;
    const needle = prefilterNeedle(filter);
    const pending: LogRecord[] = [];
    let open: LogRecord | undefined; // last matching record, still collecting its stack lines
    // forEachChunk is callback-based; records are queued per chunk and yielded between chunks.
    let pos = start;
    while (pos < size) {
      let consumed = size;
      forEachChunk(fd, pos, size, (chunk, length, offset) => {
        scanChunk(
          chunk,
          length,
          needle,
          (s, e, isHead) => {
            const line = chunk.toString('utf8', s, chunk[e - 1] === 0x0d ? e - 1 : e);
            if (!isHead) {
              if (open) open.text += `\n${line}`;
              return;
            }
            const parsed = parseLogLine(line);
            if (!parsed) {
              if (open && /^\s/.test(line)) open.text += `\n${line}`;
              return;
            }
            open = undefined;
            if (matches(filter, parsed, line)) {
              open = { app, time: parsed.time.getTime(), text: line, parsed };
              pending.push(open);
            }
          },
          open !== undefined,
        );
        consumed = offset + length;
        return pending.length < 1000; // hand records over before reading on
      });
      // Keep the last record back until the next chunk shows whether stack lines follow it.
      const ready = consumed >= size ? pending.length : Math.max(0, pending.length - 1);
      yield* pending.splice(0, ready);
      pos = consumed;
    }
    yield* pending;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Calls `onLine(start, end, isHead)` for lines of the chunk worth looking at. With a needle, a line is
 * a candidate head only if it contains it; lines starting with whitespace are reported (as non-heads)
 * while a matching record may be open, since they carry its stack.
 */
function scanChunk(
  chunk: Buffer,
  length: number,
  needle: Buffer | undefined,
  onLine: (s: number, e: number, isHead: boolean) => void,
  openAtStart: boolean,
): void {
  let nextHit = needle ? chunk.indexOf(needle) : 0;
  let s = 0;
  let open = openAtStart;
  while (s < length) {
    let e = chunk.indexOf(NL, s);
    if (e === -1 || e > length) e = length;
    const indented = chunk[s] === 0x20 || chunk[s] === 0x09;
    if (indented) {
      if (open) onLine(s, e, false);
    } else if (!needle) {
      onLine(s, e, true);
      open = true;
    } else {
      while (nextHit !== -1 && nextHit < s) nextHit = chunk.indexOf(needle, s);
      if (nextHit !== -1 && nextHit < e) {
        onLine(s, e, true);
        open = true; // the caller decides; a non-matching head closes it on its side
      } else open = false;
    }
    s = e + 1;
  }
}

/** Every matching record of an app, oldest file first. */
export function* appRecords(app: string, logDir: string, filter: RecordFilter): Generator<LogRecord> {
  const files = appLogFiles(app, logDir).reverse(); // oldest rotated first, current last
  for (const f of files) {
    if (filter.since !== undefined && f.mtimeMs < filter.since) continue;
    yield* fileRecords(app, f.path, filter);
  }
}

/** The last `count` matching records of an app, reading its files from the end. */
export function lastRecords(app: string, logDir: string, filter: RecordFilter, count: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (const f of appLogFiles(app, logDir)) {
    const fd = openLog(f.path);
    try {
      let stack: string[] = [];
      forEachLineBackwards(fd, f.size, (line) => {
        const parsed = parseLogLine(line);
        if (!parsed) {
          stack.unshift(line);
          return true;
        }
        const text = [line, ...stack].join('\n');
        stack = [];
        if (filter.since !== undefined && parsed.time.getTime() < filter.since) return false;
        if (matches(filter, parsed, text)) out.push({ app, time: parsed.time.getTime(), text, parsed });
        return out.length < count;
      });
    } finally {
      fs.closeSync(fd);
    }
    if (out.length >= count) break;
  }
  return out.reverse();
}

/** Merges per-app streams (each in time order) into one, oldest first. */
export function* mergeByTime(streams: Iterator<LogRecord>[]): Generator<LogRecord> {
  const heads = streams.map((it) => ({ it, cur: it.next() }));
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const h of heads) {
      if (!h.cur.done && (!best || h.cur.value.time < (best.cur.value as LogRecord).time)) best = h;
    }
    if (!best) return;
    yield best.cur.value as LogRecord;
    best.cur = best.it.next();
  }
}

/** Follows one app's current file: new records since the last poll, surviving rotation and truncation. */
export class Follower {
  private fd: number | undefined;
  private ino = -1;
  private pos = 0;
  private carry = '';

  constructor(
    readonly app: string,
    private readonly file: string,
    private readonly filter: RecordFilter,
    startAtEnd: boolean,
  ) {
    if (fs.existsSync(file)) {
      this.fd = openLog(file);
      const st = fs.fstatSync(this.fd);
      this.ino = st.ino;
      this.pos = startAtEnd ? st.size : 0;
    }
  }

  poll(): LogRecord[] {
    const out: LogRecord[] = [];
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.file);
    } catch {
      st = undefined; // between rename and re-create
    }
    if (this.fd !== undefined && (!st || st.ino !== this.ino)) {
      // Rotated: finish the renamed file through the old descriptor, then switch.
      this.read(out);
      this.flushCarry(out);
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.fd === undefined && st) {
      this.fd = openLog(this.file);
      this.ino = st.ino;
      this.pos = 0;
    }
    if (this.fd !== undefined) {
      if (st && st.ino === this.ino && st.size < this.pos) this.pos = 0; // truncated
      this.read(out);
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private read(out: LogRecord[]): void {
    const fd = this.fd!;
    const size = fs.fstatSync(fd).size;
    if (size <= this.pos) return;
    forEachChunk(fd, this.pos, size, (chunk, length) => {
      this.carry += chunk.toString('utf8', 0, length);
      return true;
    });
    this.pos = size;
    const lines = this.carry.split('\n');
    this.carry = lines.pop() ?? ''; // a line still being written
    this.emit(lines, out);
  }

  private flushCarry(out: LogRecord[]): void {
    if (this.carry) this.emit([this.carry], out);
    this.carry = '';
  }

  private last: LogRecord | undefined;

  private emit(lines: string[], out: LogRecord[]): void {
    for (const line of lines) {
      if (!line) continue;
      const parsed = parseLogLine(line);
      if (!parsed) {
        if (this.last && /^\s/.test(line)) out.push({ ...this.last, text: line });
        continue;
      }
      this.last = undefined;
      if (matches(this.filter, parsed, line)) {
        const rec = { app: this.app, time: parsed.time.getTime(), text: line, parsed };
        this.last = rec;
        out.push(rec);
      }
    }
  }
}
