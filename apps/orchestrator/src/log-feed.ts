/**
 * The latest warnings and errors of every app, read from their log files (tails only, never whole
 * files): a poll reads what was appended since last time, follows rotation (the file shrinks or is
 * replaced), and keeps a small ring of recent problems for the dashboard plus per-app counts for
 * /metrics. The orchestrator only reads the logs; each app writes its own file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface LogProblem {
  app: string;
  level: 'warn' | 'error' | 'fatal';
  time: number;
  msg: string;
}

/** A parsed log line as far as the feed cares: pino's numeric level, time and message. */
export interface ParsedLine {
  level: number;
  time: number;
  msg: string;
}

export interface LogFeedOptions {
  /** Log file of an app. */
  fileOf: (app: string) => string;
  /** Parses one line; undefined for anything that is not a log record. */
  parse: (line: string) => ParsedLine | undefined;
  /** How many bytes of an existing file to read on first sight (the tail). */
  tailBytes?: number;
  /** Problems kept for the dashboard. */
  keep?: number;
  /** Called for each new problem (metrics). */
  onProblem?: (problem: LogProblem) => void;
}

interface FileCursor {
  ino: number;
  offset: number;
  partial: string;
}

const LEVELS: Record<number, LogProblem['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };

export class LogFeed {
  private readonly cursors = new Map<string, FileCursor>();
  private readonly recent: LogProblem[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly apps: readonly string[],
    private readonly opts: LogFeedOptions,
  ) {}

  /** Polls every `intervalMs` (unref'd: never keeps the process alive). */
  start(intervalMs = 1_000): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Newest last. */
  problems(limit = 50): LogProblem[] {
    return this.recent.slice(-limit);
  }

  poll(): void {
    for (const app of this.apps) this.readNew(app);
  }

  private readNew(app: string): void {
    const file = this.opts.fileOf(app);
    let size: number;
    let ino: number;
    try {
      const st = statSync(file);
      size = st.size;
      ino = st.ino;
    } catch {
      return; // not written yet
    }
    const tailBytes = this.opts.tailBytes ?? 64 * 1024;
    let cursor = this.cursors.get(app);
    if (!cursor) {
      cursor = { ino, offset: Math.max(0, size - tailBytes), partial: '' };
      this.cursors.set(app, cursor);
    } else if (cursor.ino !== ino || size < cursor.offset) {
      cursor.ino = ino; // rotated: the current file is a new one
      cursor.offset = 0;
      cursor.partial = '';
    }
    if (size <= cursor.offset) return;
    // Never read more than a tail, even if an app wrote a burst since the last poll.
    const start = Math.max(cursor.offset, size - tailBytes);
    if (start > cursor.offset) cursor.partial = '';
    const buf = Buffer.alloc(size - start);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, start);
    } finally {
      closeSync(fd);
    }
    cursor.offset = size;
    const lines = (cursor.partial + buf.toString('utf8')).split('\n');
    cursor.partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = line ? this.opts.parse(line) : undefined;
      if (!parsed) continue;
      const level = LEVELS[Math.min(60, Math.floor(parsed.level / 10) * 10)];
      if (!level || parsed.level < 40) continue;
      const problem: LogProblem = { app, level, time: parsed.time, msg: parsed.msg };
      this.recent.push(problem);
      this.opts.onProblem?.(problem);
    }
    const keep = this.opts.keep ?? 200;
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
  }
}
