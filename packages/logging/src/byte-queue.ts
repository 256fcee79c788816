/**
 * The lines waiting for the disk, kept as UTF-8 bytes in 64 KiB chunks rather than as one string
 * per line. A line's string dies young; the bytes live outside the JS heap, so a queue that
 * grows while a batch is in flight costs the garbage collector nothing (queued strings would be
 * copied by every scavenge they survive, which showed up as multi-ms event-loop pauses).
 */
export const CHUNK_BYTES = 64 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

interface Chunk {
  bytes: Buffer;
  lines: number;
}

export class ByteQueue {
  private chunks: Chunk[] = [];
  private current?: Buffer;
  private used = 0;
  private currentLines = 0;
  /** Bytes queued, exactly. */
  bytes = 0;

  get empty(): boolean {
    return this.bytes === 0;
  }

  push(line: string): void {
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
      this.current = Buffer.allocUnsafe(CHUNK_BYTES);
    }
    const n = this.current.write(line, this.used);
    this.used += n;
    this.currentLines++;
    this.bytes += n;
  }

  /** Whole chunks, oldest first, up to `maxBytes` (always at least one); undefined when empty. */
  take(maxBytes: number): Buffer | undefined {
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      if (this.chunks.length === 0) {
        if (this.used === 0 || (parts.length > 0 && size + this.used > maxBytes)) break;
        this.seal();
      }
      const next = this.chunks[0]!;
      if (parts.length > 0 && size + next.bytes.length > maxBytes) break;
      this.chunks.shift();
      parts.push(next.bytes);
      size += next.bytes.length;
    }
    if (parts.length === 0) return undefined;
    this.bytes -= size;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
  }

  /** Puts a taken batch back at the front (its write failed). */
  unshift(batch: Buffer): void {
    let lines = 0;
    for (let at = batch.indexOf(10); at !== -1; at = batch.indexOf(10, at + 1)) lines++;
    this.chunks.unshift({ bytes: batch, lines });
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

  /** Closes the chunk being filled. A small one is copied out and its memory reused. */
  private seal(): void {
    if (!this.current || this.used === 0) return;
    const full = this.used > CHUNK_BYTES / 2;
    const bytes = full
      ? this.current.subarray(0, this.used)
      : Buffer.from(this.current.subarray(0, this.used));
    this.chunks.push({ bytes, lines: this.currentLines });
    if (full) this.current = undefined;
    this.used = 0;
    this.currentLines = 0;
  }
}
