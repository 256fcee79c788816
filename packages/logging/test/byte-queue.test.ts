import { describe, expect, it } from 'vitest';
import { ByteQueue, CHUNK_BYTES } from '../src/byte-queue.js';

const line = (i: number) => `${i} order filled note=é€😀 ${'x'.repeat(i % 300)}\n`;

describe('the queue of lines waiting for the disk', () => {
  it('gives back every byte in order, in batches of whole lines no larger than a chunk', () => {
    const q = new ByteQueue();
    const lines = Array.from({ length: 5000 }, (_, i) => line(i));
    for (const l of lines) q.push(l);
    expect(q.bytes).toBe(Buffer.byteLength(lines.join('')));
    const batches: Buffer[] = [];
    // A batch is valid until the next take (its buffer is reused): kept as a copy.
    for (let b = q.take(CHUNK_BYTES); b; b = q.take(CHUNK_BYTES)) batches.push(Buffer.from(b));
    expect(q.empty).toBe(true);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(b.at(-1)).toBe(10); // ends on a line boundary
    }
    expect(Buffer.concat(batches).toString()).toBe(lines.join(''));
  });

  it('a line larger than a chunk travels whole; a failed batch goes back to the front', () => {
    const q = new ByteQueue();
    q.push('a\n');
    q.push(`${'€'.repeat(CHUNK_BYTES)}\n`);
    q.push('b\n');
    const first = q.take(CHUNK_BYTES)!;
    expect(first.toString()).toBe('a\n');
    const big = q.take(CHUNK_BYTES)!;
    expect(big.toString()).toBe(`${'€'.repeat(CHUNK_BYTES)}\n`);
    q.unshift(big);
    expect(q.takeAll()!.toString()).toBe(`${'€'.repeat(CHUNK_BYTES)}\nb\n`);
  });

  it('dropping the oldest chunk counts its lines and keeps the newest', () => {
    const q = new ByteQueue();
    for (let i = 0; i < 3000; i++) q.push(line(i));
    let dropped = 0;
    for (let n = q.dropOldest(); n > 0; n = q.dropOldest()) dropped += n;
    const rest = q.takeAll()!.toString().split('\n').filter(Boolean);
    expect(dropped + rest.length).toBe(3000);
    expect(rest.at(-1)).toMatch(/^2999 /);
  });
});
