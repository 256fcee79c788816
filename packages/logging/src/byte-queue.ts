/**
 * The lines waiting for the disk, kept as UTF-8 bytes in 64 KiB chunks rather than as one string
 * per line. A line's string dies young; the bytes live outside the JS heap, so a queue that
 * grows while a batch is in flight costs the garbage collector nothing (queued strings would be
 * copied by every scavenge they survive, which showed up as multi-ms event-loop pauses).
 * Memory is reused: the first write to fresh memory faults a page per 4 KiB (about 3 ms a MiB
 * measured here, inside one event-loop turn), so written chunks are filled again and a batch of
 * several chunks is assembled in one buffer kept for it.
 */
export const CHUNK_BYTES = 64 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

interface Chunk {
  bytes: Buffer;
  lines: number;
  /** The whole CHUNK_BYTES buffer `bytes` views, to fill again once its bytes are taken. */
  reusable?: Buffer;
}

/** The largest batch assembled in the kept buffer; a larger one (at exit) is concatenated. */
export const MAX_ASSEMBLED_BYTES = 16 * CHUNK_BYTES;
/** Written chunks kept to be filled again (1 MiB). */
const SPARE_CHUNKS = 16;

/** Above this many UTF-16 units, Buffer's native encoder beats the loop below. */
const NATIVE_ENCODE_UNITS = 64;

export class ByteQueue {
  private chunks: Chunk[] = [];
  private current?: Buffer;
  private used = 0;
  private currentLines = 0;
  /** Bytes queued, exactly. */
  bytes = 0;
  /** A line being written in place (beginLine): its bytes so far are [used, pos) of `current`. */
  private writing = false;
  private pos = 0;
  /** Lines pushed while a line was being written in place (a getter that logs): queued after it. */
  private deferred: string[] = [];
  private spare: Buffer[] = [];
  private assembled?: Buffer;

  /** A CHUNK_BYTES buffer, one already written to when there is one (its pages are mapped). */
  private freshChunk(size = CHUNK_BYTES): Buffer {
    return (size === CHUNK_BYTES && this.spare.pop()) || Buffer.allocUnsafe(size);
  }

  get empty(): boolean {
    return this.bytes === 0;
  }

  /**
   * Starts a line written in place, part by part (utf8, integer), straight into the chunk being
   * filled: no string per line. Ended by endLine or abortLine; false while another line is being
   * written (then push it whole).
   */
  beginLine(): boolean {
    if (this.writing) return false;
    if (!this.current) this.current = this.freshChunk();
    this.writing = true;
    this.pos = this.used;
    return true;
  }

  /** `text` as UTF-8, exactly as Buffer.from(text) encodes it (a lone surrogate as U+FFFD). */
  utf8(text: string): void {
    const units = text.length;
    if (this.pos + units * MAX_BYTES_PER_UNIT > this.current!.length) this.grow(units * MAX_BYTES_PER_UNIT);
    const b = this.current!;
    if (units > NATIVE_ENCODE_UNITS) {
      this.pos += b.write(text, this.pos);
      return;
    }
    let p = this.pos;
    let i = 0;
    for (; i < units; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    for (; i < units; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      } else {
        const low = c <= 0xdbff && i + 1 < units ? text.charCodeAt(i + 1) : 0;
        if (low >= 0xdc00 && low <= 0xdfff) {
          i++;
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          b[p++] = 0xf0 | (c >> 18);
          b[p++] = 0x80 | ((c >> 12) & 63);
          b[p++] = 0x80 | ((c >> 6) & 63);
          b[p++] = 0x80 | (c & 63);
        } else {
          b[p++] = 0xef; // a lone surrogate: U+FFFD, as Buffer.from writes it
          b[p++] = 0xbf;
          b[p++] = 0xbd;
        }
      }
    }
    this.pos = p;
  }

  /** Bytes made once (a key's ` key=`, a line's head): copied, not encoded again. */
  copy(src: Uint8Array): void {
    if (this.pos + src.length > this.current!.length) this.grow(src.length);
    this.current!.set(src, this.pos);
    this.pos += src.length;
  }

  byte(b: number): void {
    if (this.pos + 1 > this.current!.length) this.grow(1);
    this.current![this.pos++] = b;
  }

  /** A safe integer in decimal, as String(n) writes it (-0 as 0). */
  integer(n: number): void {
    if (this.pos + 17 > this.current!.length) this.grow(17);
    const b = this.current!;
    let v = n;
    if (v < 0) {
      b[this.pos++] = 45; // -
      v = -v;
    }
    if (v >= 1e9) {
      // Past 32-bit arithmetic: the high digits first, then the low nine (the quotient may round up).
      let high = Math.floor(v / 1e9);
      let low = v - high * 1e9;
      if (low < 0) {
        high--;
        low += 1e9;
      }
      this.integer(high);
      this.digits(low, 9);
      return;
    }
    let count = 1;
    for (let t = 10; t <= v; t *= 10) count++;
    this.digits(v, count);
  }

  /** `v` (< 1e9) in `count` decimal digits, zero-padded. */
  private digits(v: number, count: number): void {
    const b = this.current!;
    let p = this.pos + count;
    this.pos = p;
    let rest = v | 0;
    for (let n = 0; n < count; n++) {
      const q = (rest / 10) | 0;
      b[--p] = 48 + rest - q * 10;
      rest = q;
    }
  }

  /** Queues the line written since beginLine. */
  endLine(): void {
    const n = this.pos - this.used;
    this.used = this.pos;
    this.bytes += n;
    this.currentLines++;
    this.writing = false;
    if (this.current!.length > CHUNK_BYTES) this.seal(); // grown for one long line
    this.pushDeferred();
  }

  /** Forgets the line written since beginLine (rendering it threw). */
  abortLine(): void {
    this.pos = this.used;
    this.writing = false;
    this.pushDeferred();
  }

  private pushDeferred(): void {
    if (this.deferred.length === 0) return;
    const lines = this.deferred;
    this.deferred = [];
    for (const line of lines) this.push(line);
  }

  /** Makes room for `n` more bytes of the line being written: it moves to a new chunk. */
  private grow(n: number): void {
    const partial = this.pos - this.used;
    const next = this.freshChunk(Math.max(CHUNK_BYTES, 2 * (partial + n)));
    this.current!.copy(next, 0, this.used, this.pos);
    this.writing = false;
    this.seal();
    this.writing = true;
    this.current = next;
    this.pos = partial;
  }

  push(line: string): void {
    if (this.writing) {
      this.deferred.push(line);
      return;
    }
    const room = line.length * MAX_BYTES_PER_UNIT;
    if (room > CHUNK_BYTES) {
      this.seal();
      const bytes = Buffer.from(line);
      this.chunks.push({ bytes, lines: 1 });
      this.bytes += bytes.length;
      return;
    }
    if (!this.current || this.used + room > CHUNK_BYTES) {
      this.seal();
      this.current = this.freshChunk();
    }
    const n = this.current.write(line, this.used);
    this.used += n;
    this.currentLines++;
    this.bytes += n;
  }

  /**
   * Whole chunks, oldest first, up to `maxBytes` (always at least one); undefined when empty.
   * They come assembled in the buffer kept for it (their own memory is filled again): valid until
   * the next `take`, so the caller writes one batch at a time (and `unshift` copies one it puts back).
   */
  take(maxBytes: number): Buffer | undefined {
    const parts = this.takeChunks(Math.min(maxBytes, MAX_ASSEMBLED_BYTES));
    if (parts === undefined) return undefined;
    // One chunk grown past the limit for one long line goes as it is.
    if (parts[0]!.bytes.length > MAX_ASSEMBLED_BYTES) return parts[0]!.bytes;
    this.assembled ??= Buffer.allocUnsafe(MAX_ASSEMBLED_BYTES);
    let size = 0;
    for (const part of parts) {
      this.assembled.set(part.bytes, size);
      size += part.bytes.length;
      if (part.reusable && this.spare.length < SPARE_CHUNKS) this.spare.push(part.reusable);
    }
    return this.assembled.subarray(0, size);
  }

  /** Everything queued, in a buffer of its own (exit paths: it may be larger than any batch). */
  takeAll(): Buffer | undefined {
    const parts = this.takeChunks(Number.POSITIVE_INFINITY);
    if (parts === undefined) return undefined;
    return parts.length === 1 ? parts[0]!.bytes : Buffer.concat(parts.map((p) => p.bytes));
  }

  private takeChunks(maxBytes: number): Chunk[] | undefined {
    const parts: Chunk[] = [];
    let size = 0;
    for (;;) {
      if (this.chunks.length === 0) {
        if (this.used === 0 || (parts.length > 0 && size + this.used > maxBytes)) break;
        this.seal();
      }
      const next = this.chunks[0]!;
      if (parts.length > 0 && size + next.bytes.length > maxBytes) break;
      this.chunks.shift();
      parts.push(next);
      size += next.bytes.length;
    }
    if (parts.length === 0) return undefined;
    this.bytes -= size;
    return parts;
  }

  /** Puts a taken batch back at the front (its write failed), as a copy: `take`'s buffer is reused. */
  unshift(batch: Buffer): void {
    let lines = 0;
    for (let at = batch.indexOf(10); at !== -1; at = batch.indexOf(10, at + 1)) lines++;
    this.chunks.unshift({ bytes: Buffer.from(batch), lines });
    this.bytes += batch.length;
  }

  /** Drops the oldest chunk (never the only data left); returns how many lines it held, if known. */
  dropOldest(): number {
    this.seal();
    if (this.chunks.length <= 1) return 0;
    const chunk = this.chunks.shift()!;
    this.bytes -= chunk.bytes.length;
    return chunk.lines;
  }

  /**
   * Closes the chunk being filled. A small one is copied out and its memory reused. A line being
   * written in place moves to the start of the chunk that follows.
   */
  private seal(): void {
    if (!this.current || this.used === 0) return;
    const full = this.used > CHUNK_BYTES / 2;
    const bytes = full
      ? this.current.subarray(0, this.used)
      : Buffer.from(this.current.subarray(0, this.used));
    const reusable = full && this.current.length === CHUNK_BYTES ? this.current : undefined;
    this.chunks.push({ bytes, lines: this.currentLines, reusable });
    if (this.writing) {
      const partial = this.pos - this.used;
      if (full) {
        const next = this.freshChunk(Math.max(CHUNK_BYTES, partial));
        this.current.copy(next, 0, this.used, this.pos);
        this.current = next;
      } else this.current.copyWithin(0, this.used, this.pos);
      this.pos = partial;
    } else if (full) this.current = undefined;
    this.used = 0;
    this.currentLines = 0;
  }
}
