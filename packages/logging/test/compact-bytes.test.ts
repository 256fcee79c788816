import { describe, expect, it } from 'vitest';
import { ByteQueue, CHUNK_BYTES } from '../src/byte-queue.js';
import { writeCompactLine } from '../src/compact-bytes.js';
import { fieldsText, stackText, textLine } from '../src/format.js';

const TIME = Date.UTC(2025, 7, 30, 21, 49, 3, 7);
const NASTY = ['\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\u001b[2J', '\u009b31m', '\u0000', '\u007f'];
const SECRET = 'https://mainnet.helius-rpc.com/?api-key=0123456789abcdef';

/** Calls whose compact line must come out byte for byte as the string formatter writes it. */
const calls: {
  msg: string;
  bindings?: Record<string, unknown>;
  fields?: Record<string, unknown>;
  err?: Error;
}[] = [
  {
    msg: 'order filled',
    fields: { market: 'SOL-PERP', orderId: 1_000_042, price: 150_250_999n, side: 'buy' },
  },
  {
    msg: 'numbers',
    fields: { a: -0, b: -17, c: 2 ** 31, d: 2 ** 53 + 2, e: 1e21, f: 0.1, g: Number.NaN, h: -Infinity },
  },
  { msg: 'bigints', fields: { a: -(2n ** 70n), b: 2n ** 53n - 1n, c: -(2n ** 53n), d: 0n } },
  { msg: 'unicode é€😀 \ud800 lone \udc00', fields: { s: 'é€😀', lone: 'a\ud83dz', end: '\ud83d' } },
  { msg: 'secrets', fields: { secretKey: 'abc', token: 5, password: null, url: SECRET, apiKey: { x: 1 } } },
  {
    msg: 'shapes',
    fields: { note: 'two words', eq: 'a=b', empty: '', obj: { nested: [1, 'x'] }, nil: null },
  },
  { msg: `long ${'é'.repeat(200)}`, fields: { big: 'x'.repeat(3 * CHUNK_BYTES) } },
  { msg: 'with an error', fields: { market: 'SOL-PERP' }, err: new Error(`boom\u001b[31m\n${SECRET}`) },
  { msg: 'child', bindings: { component: 'rpc', 'odd key': 'v' }, fields: { level: 1, msg: 'column keys' } },
  ...NASTY.map((c) => ({ msg: `m${c}x`, fields: { [`key${c}`]: `v${c}x`, ok: `plain${c}` } })),
];

describe('compact lines rendered straight into bytes', () => {
  it('are byte for byte the string formatter’s lines (escaping and redaction included)', () => {
    const q = new ByteQueue();
    const expected: string[] = [];
    for (let round = 0; round < 40; round++) {
      for (const [i, c] of calls.entries()) {
        const time = TIME + round * 997 + i;
        const level = [10, 20, 30, 40, 50, 60, 35][i % 7]!;
        const bindings = fieldsText(c.bindings);
        expect(q.beginLine()).toBe(true);
        writeCompactLine(q, time, 'jit-mm-swift', level, c.msg, bindings, c.fields, c.err);
        q.endLine();
        const fields = bindings + fieldsText(c.fields);
        expected.push(
          textLine(
            { time, app: 'jit-mm-swift', level, msg: c.msg, fields, stack: stackText(c.err) },
            false,
            false,
          ),
        );
      }
    }
    const batches: Buffer[] = [];
    // compared as latin1 text: byte for byte, but a failure shows the lines that differ
    // A batch is valid until the next take (its buffer is reused): kept as a copy.
    for (let b = q.take(CHUNK_BYTES); b; b = q.take(CHUNK_BYTES)) batches.push(Buffer.from(b));
    expect(Buffer.concat(batches).toString('latin1').split('\n')).toEqual(
      Buffer.from(expected.join('')).toString('latin1').split('\n'),
    );
    expect(Buffer.concat(batches).toString()).not.toContain('0123456789abcdef');
  });

  it('a line pushed while another is written in place (a getter that logs) follows it, both whole', () => {
    const q = new ByteQueue();
    q.push('first\n');
    q.beginLine();
    q.utf8('outer ');
    q.push('inner\n');
    expect(q.beginLine()).toBe(false);
    q.utf8('x'.repeat(CHUNK_BYTES)); // moves the line being written to a chunk of its own
    q.byte(10);
    q.endLine();
    q.beginLine();
    q.utf8('thrown away');
    q.abortLine();
    expect(q.takeAll()!.toString()).toBe(`first\nouter ${'x'.repeat(CHUNK_BYTES)}\ninner\n`);
    expect(q.empty).toBe(true);
  });
});
