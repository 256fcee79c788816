/**
 * The file half of a logger: non-blocking for the caller, and lossless at exit.
 *
 * A log call only appends a formatted line to an in-memory batch. A batch (whole lines, up to
 * 64 KiB) is handed to rotating-file-stream, which writes it and rotates at `maxSize` keeping
 * `maxFiles` backups. Exactly one batch is with the stream at a time, so this sink always knows what
 * is on disk, what is in flight and what is pending. That is what makes `flushSync()` exact: at
 * process exit, on a signal or a crash it waits (briefly, synchronously) for the batch in flight to
 * land, then appends everything pending with one synchronous write. Lines are never split: a batch
 * is whole lines and rotation happens between batches.
 *
 * Disk trouble (a directory that is not writable, a full disk) never crashes the process: one
 * warning goes to stderr, lines are kept in memory (up to `maxBufferBytes`, oldest dropped beyond
 * that and counted) and the stream is reopened with backoff until the disk accepts them again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { ByteQueue, CHUNK_BYTES, MAX_ASSEMBLED_BYTES } from './byte-queue.js';

export interface FileSinkOptions {
  /** Active file, e.g. logs/jit-mm-swift.log; rotated files are `<file>.1` .. `<file>.<maxFiles>`. */
  file: string;
  maxSize: number;
  maxFiles: number;
  /** Memory kept for lines the disk has not accepted yet (default 64 MiB). */
  maxBufferBytes?: number;
  /** Where the one warning about disk trouble goes (default: stderr). */
  warn?: (message: string) => void;
  /**
   * At exit, lines the disk still refuses go to stderr instead of being lost. Off when the same
   * lines were already printed to the console.
   */
  stderrFallback?: boolean;
}

const BATCH_BYTES = CHUNK_BYTES;
/** The largest batch, when a flood has left many chunks waiting. */
const MAX_BATCH_BYTES = MAX_ASSEMBLED_BYTES;
/** How long a small batch may wait for more lines before it is written. */
const TRICKLE_MS = 5;
/** Past this many pending bytes the caller writes synchronously: memory stays bounded under a flood. */
const SYNC_THRESHOLD = 32 * 1024 * 1024;
const LANDING_WAIT_MS = 200;

function sizeOf(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function truncateTo(file: string, size: number): void {
  try {
    fs.truncateSync(file, size);
  } catch {
    // Gone or not writable: the retry's own error reports the disk trouble.
  }
}

function shortWrite(file: string): Error {
  return Object.assign(new Error(`short write to ${file}: the disk took only part of a batch`), {
    code: 'ENOSPC',
  });
}

/** The file the stream writes to was deleted (by hand, a cleanup job): its lines went nowhere. */
function deleted(file: string): Error {
  const dir = path.dirname(file);
  const what = fs.existsSync(dir) ? `${file} was deleted` : `the log directory ${dir} was deleted`;
  return Object.assign(new Error(`${what}; the lines are written again to a new file`), { code: 'ENOENT' });
}

/** What a flush could not put on disk. */
export interface Unwritten {
  file: string;
  /** Bytes held in memory for the file. */
  bytes: number;
  /** Lines dropped since the trouble began, because more than the memory limit was held. */
  droppedLines: number;
  /** Why: the error the disk gave. */
  reason: string;
}

/** Appends `bytes` whole or not at all: a refused tail is cut off again, so the file ends on a line. */
function appendWhole(file: string, bytes: Buffer, sizeBefore: number): void {
  const fd = fs.openSync(file, 'a');
  try {
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
  } catch (err) {
    try {
      fs.ftruncateSync(fd, sizeBefore);
    } catch {
      // the write's own error says what is wrong
    }
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

const sleepArray = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => Atomics.wait(sleepArray, 0, 0, ms);

export class FileSink {
  readonly file: string;
  private stream?: RotatingFileStream;
  private readonly pending = new ByteQueue();
  private inflight?: Buffer;
  /** Size of the active file when the batch in flight was handed over: where it must start. */
  private inflightBase = 0;
  private scheduled = false;
  private timer?: NodeJS.Timeout;
  private failedSince?: number;
  private failure = '';
  /** The overflow path waits for the stream's write in flight to complete (it may be rotating). */
  private syncDeferred = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelay = 250;
  private dropped = 0;
  private closed = false;
  private readonly maxBufferBytes: number;
  private readonly warn: (message: string) => void;
  private drainWaiters: (() => void)[] = [];

  constructor(private readonly options: FileSinkOptions) {
    this.file = path.resolve(options.file);
    this.maxBufferBytes = options.maxBufferBytes ?? 64 * 1024 * 1024;
    this.warn = options.warn ?? ((m) => process.stderr.write(`${m}\n`));
    this.open();
  }

  /** True while the disk refuses writes (lines are held in memory meanwhile). */
  get failing(): boolean {
    return this.failedSince !== undefined;
  }

  write(line: string): void {
    if (this.closed) {
      this.appendSync(line);
      return;
    }
    this.pending.push(line);
    this.queued();
  }

  /**
   * The queue to write one line into in place (ByteQueue.beginLine), ended by `endLine` or
   * `abortLine`; undefined when closed or while a line is being written: then `write` it.
   */
  beginLine(): ByteQueue | undefined {
    return !this.closed && this.pending.beginLine() ? this.pending : undefined;
  }

  endLine(): void {
    this.pending.endLine();
    this.queued();
  }

  abortLine(): void {
    this.pending.abortLine();
  }

  /** After a line is queued: the memory bounds, and the batch's turn to be written. */
  private queued(): void {
    if (this.pending.bytes > SYNC_THRESHOLD && !this.failing && !this.syncDeferred) {
      if (this.flushSync(false)) return;
      this.syncDeferred = true;
    }
    if (this.pending.bytes > this.maxBufferBytes) this.dropOldest();
    if (!this.scheduled) {
      // A full batch goes at once; a trickle waits a few ms to travel in one write.
      this.scheduled = true;
      if (this.pending.bytes >= BATCH_BYTES) setImmediate(this.drain);
      else this.timer = setTimeout(this.drain, TRICKLE_MS);
    } else if (this.timer && this.pending.bytes >= BATCH_BYTES) {
      clearTimeout(this.timer);
      this.timer = undefined;
      setImmediate(this.drain);
    }
  }

  /**
   * Resolves when everything written so far is on disk: with undefined, or, when the disk refuses
   * writes, at once with what is held in memory and why.
   */
  async flush(): Promise<Unwritten | undefined> {
    if (!this.inflight && this.pending.empty) return undefined;
    if (!this.failing) {
      await new Promise<void>((resolve) => {
        this.drainWaiters.push(resolve);
        if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(this.drain);
        }
      });
    }
    return this.unwritten();
  }

  private unwritten(): Unwritten | undefined {
    const bytes = this.pending.bytes + (this.inflight?.length ?? 0);
    if (bytes === 0 && this.dropped === 0) return undefined;
    return { file: this.file, bytes, droppedLines: this.dropped, reason: this.failure };
  }

  /**
   * Everything written so far, on disk before returning (true), with the size limit kept.
   * For exit paths (`final`): waits up to 200 ms for the batch in flight to land, else writes it
   * itself (the process ends right after, so the stream cannot write it twice). When the process
   * goes on (`final` false: a flood past the memory bound, a signal the app handles itself), a batch
   * that has not landed, or whose landing makes the stream rotate, is left to the stream with
   * everything queued behind it (false): order and exactly-once matter more than an early flush.
   * Otherwise the stream is set aside while the lines are appended (rotating here as it would),
   * and a fresh one continues after them.
   */
  flushSync(final = true): boolean {
    const parts: Buffer[] = [];
    if (this.inflight) {
      const landed = this.waitForLanding(this.inflight, final);
      if (!final && (!landed || this.inflightBase + this.inflight.length >= this.options.maxSize))
        return false;
      if (!landed) parts.push(this.inflight);
      this.inflight = undefined;
    }
    const rest = this.pending.takeAll();
    if (rest) parts.push(rest);
    if (parts.length === 0) return true;
    const stream = this.stream;
    if (stream) {
      this.stream = undefined; // its callbacks and errors are ignored from here on
      stream.destroy();
    }
    this.appendSync(parts.length === 1 ? parts[0]! : Buffer.concat(parts), final);
    if (stream && !final && !this.closed && !this.failing) this.open();
    return true;
  }

  /** Flushes, closes the stream and releases the file. Later writes append synchronously. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.retryTimer);
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
    this.flushSync();
  }

  /** Appends whole lines now, rotating like the stream (classical: file -> .1 -> ... -> .maxFiles). */
  private appendRotating(data: Buffer, progress: { at: number }): void {
    const { maxSize } = this.options;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    let size = sizeOf(this.file);
    let at = 0;
    while (at < data.length) {
      progress.at = at;
      let end = data.length;
      if (size + end - at > maxSize) {
        const cut = data.lastIndexOf(10, at + maxSize - size - 1);
        if (cut >= at) end = cut + 1;
        else if (size > 0) {
          this.rotateSync();
          size = 0;
          continue;
        } else {
          const nl = data.indexOf(10, at); // one line longer than maxSize: it goes whole
          end = nl === -1 ? data.length : nl + 1;
        }
      }
      appendWhole(this.file, data.subarray(at, end), size);
      size += end - at;
      at = end;
      progress.at = at;
      if (size >= maxSize) {
        this.rotateSync();
        size = 0;
      }
    }
  }

  private rotateSync(): void {
    for (let n = this.options.maxFiles; n > 0; n--) {
      const from = n === 1 ? this.file : `${this.file}.${n - 1}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${n}`);
    }
  }

  private open(): void {
    const dir = path.dirname(this.file);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    const stream = createStream(path.basename(this.file), {
      path: `${dir}${path.sep}`,
      size: `${this.options.maxSize}B`,
      rotate: this.options.maxFiles,
    });
    stream.on('error', (err) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (this.inflight) {
        if (!this.settle(this.inflight)) this.requeue(this.inflight);
        this.inflight = undefined;
      }
      stream.destroy();
      this.fail(err);
    });
    stream.on('warning', (err) => this.warn(`[@drift/logging] ${this.file}: ${err.message}`));
    this.stream = stream;
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    this.timer = undefined;
    const stream = this.stream;
    if (this.inflight || !stream || this.closed) return;
    const base = sizeOf(this.file);
    // Behind a flood, bigger batches (fewer round trips) but never further past the size limit
    // than one chunk: the stream rotates after the batch that crosses it.
    const behind = this.pending.bytes > 4 * BATCH_BYTES;
    const room = Math.max(BATCH_BYTES, this.options.maxSize - base);
    const batch = this.pending.take(behind ? Math.min(MAX_BATCH_BYTES, room) : BATCH_BYTES);
    if (!batch) {
      this.resolveWaiters();
      return;
    }
    this.inflight = batch;
    this.inflightBase = base;
    stream.write(batch, (err) => {
      // Taken over by flushSync or re-queued by the error handler.
      if (this.inflight !== batch) return;
      this.inflight = undefined;
      this.syncDeferred = false;
      if (err || !this.settle(batch)) {
        // Not (all) on disk: retried first once the disk recovers.
        this.requeue(batch);
        if (err) return;
        if (fs.existsSync(this.file)) this.fail(shortWrite(this.file));
        else {
          // The stream writes into a file nobody can read any more: a fresh one is opened on retry.
          this.stream = undefined;
          stream.destroy();
          this.fail(deleted(this.file));
        }
        return;
      }
      if (this.failedSince !== undefined) this.recovered();
      this.drain();
    });
  };

  /**
   * Did all of `batch` reach the file? rotating-file-stream reports success after a short write
   * (a nearly full disk takes part of a batch and refuses the rest), so a batch is checked by size,
   * and a torn prefix is cut off again: the file ends on a whole line and the batch is retried.
   */
  private settle(batch: Buffer): boolean {
    if (this.landed(batch)) return true;
    // Part of it landed, in the active file or (rotated since) in the first backup.
    const base = this.inflightBase;
    for (const file of [this.file, `${this.file}.1`]) {
      const size = sizeOf(file);
      if (
        size > base &&
        size < base + batch.length &&
        this.holdsAt(file, base, batch.subarray(0, size - base))
      ) {
        truncateTo(file, base);
        break;
      }
    }
    return false;
  }

  private landed(batch: Buffer): boolean {
    const end = this.inflightBase + batch.length;
    if (sizeOf(this.file) === end) return true;
    // A batch that reached the size limit made the stream rotate: it ends the first backup. Sizes
    // first, so a rotation does not cost reading the batch back (a loop stall of up to 1 MiB).
    if (end >= this.options.maxSize && sizeOf(`${this.file}.1`) === end) return true;
    return this.endsWith(this.file, batch) || this.endsWith(`${this.file}.1`, batch);
  }

  private requeue(batch: Buffer): void {
    this.pending.unshift(batch);
  }

  private resolveWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Did the stream's last write of `batch` reach the file (possibly rotated away already)? */
  private waitForLanding(batch: Buffer, final: boolean): boolean {
    const deadline = Date.now() + LANDING_WAIT_MS;
    for (;;) {
      if (this.landed(batch)) return true;
      // At exit a torn prefix is cut off before the batch is appended whole; otherwise the stream keeps it.
      if (Date.now() >= deadline || this.failing) return final ? this.settle(batch) : false;
      sleepSync(1);
    }
  }

  private endsWith(file: string, batch: Buffer): boolean {
    return this.holdsAt(file, -1, batch);
  }

  /** Does `file` hold `bytes` at `offset` (-1: at its end)? */
  private holdsAt(file: string, offset: number, bytes: Buffer): boolean {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const size = fs.fstatSync(fd).size;
      const at = offset < 0 ? size - bytes.length : offset;
      if (at < 0 || at + bytes.length > size) return false;
      const found = Buffer.alloc(bytes.length);
      fs.readSync(fd, found, 0, bytes.length, at);
      return found.equals(bytes);
    } catch {
      return false;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /**
   * Appends now. Lines the disk refuses are held for the retry while the process goes on (not
   * `final`); at the end they go to stderr rather than nowhere, unless the console printed them.
   */
  private appendSync(data: string | Buffer, final = true): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const progress = { at: 0 };
    try {
      this.appendRotating(bytes, progress);
    } catch (err) {
      this.fail(err as Error);
      const rest = bytes.subarray(progress.at);
      if (!final && !this.closed) {
        this.requeue(rest);
        return;
      }
      if (this.options.stderrFallback === false) return;
      try {
        fs.writeSync(2, rest);
      } catch {
        // stderr is gone too: nothing left to write to.
      }
    }
  }

  private dropOldest(): void {
    while (this.pending.bytes > this.maxBufferBytes) {
      const before = this.pending.bytes;
      this.dropped += this.pending.dropOldest();
      if (this.pending.bytes === before) break; // only the newest chunk is left
    }
  }

  private fail(err: Error): void {
    this.failure = `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}`;
    if (this.failedSince === undefined) {
      this.failedSince = Date.now();
      const code = (err as NodeJS.ErrnoException).code ?? err.name;
      this.warn(
        `[@drift/logging] cannot write ${this.file} (${code}: ${err.message}); logging continues on the console, ` +
          'file lines are kept in memory and written when the disk accepts them again',
      );
    }
    this.resolveWaiters();
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
      if (!this.stream) this.open();
      if (this.stream && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.drain);
      }
    }, this.retryDelay);
    this.retryTimer.unref();
  }

  private recovered(): void {
    const downMs = Date.now() - (this.failedSince ?? Date.now());
    this.failedSince = undefined;
    this.failure = '';
    this.retryDelay = 250;
    const note = this.dropped
      ? `; ${this.dropped} lines were dropped because more than ${this.maxBufferBytes} bytes were waiting`
      : '';
    this.warn(`[@drift/logging] ${this.file} is writable again after ${downMs} ms${note}`);
    this.dropped = 0;
  }
}
