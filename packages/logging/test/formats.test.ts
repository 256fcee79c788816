import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatCompact, formatVerbose, type LogRecord, parseLogLine } from '../src/format.js';

const rec: LogRecord = {
  level: 30,
  time: Date.UTC(2025, 7, 30, 21, 49, 3, 511),
  app: 'jit-mm-swift',
  pid: 1,
  msg: 'Order filled',
  market: 'SOL-PERP',
  orderId: 42,
  note: 'two words',
  caller: 'onTaker:193',
};

describe('line formats', () => {
  it('compact: the file line of the spec, fields as key=value after the message', () => {
    expect(formatCompact(rec)).toBe(
      '2025-08-30 21:49:03,511 | jit-mm-swift | INFO | Order filled market=SOL-PERP orderId=42 note="two words"\n',
    );
  });

  it("verbose: the same with the caller's function:line", () => {
    expect(formatVerbose(rec)).toBe(
      '2025-08-30 21:49:03,511 | jit-mm-swift | INFO | onTaker:193 | Order filled market=SOL-PERP orderId=42 note="two words"\n',
    );
    expect(formatVerbose(rec, 'x', true)).toContain('\x1b[32mINFO\x1b[0m');
  });

  it('an error keeps its stack on the following indented lines; a newline in a message stays on its line', () => {
    const line = formatCompact({
      ...rec,
      level: 50,
      msg: 'send failed\nretrying',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at send (a.ts:1:1)' },
    });
    expect(line.split('\n')).toEqual([
      '2025-08-30 21:49:03,511 | jit-mm-swift | ERROR | send failed\\nretrying market=SOL-PERP orderId=42 note="two words"',
      '    Error: boom',
      '    at send (a.ts:1:1)',
      '',
    ]);
  });

  it('parses back compact, verbose and json lines', () => {
    const compact = parseLogLine(formatCompact(rec));
    expect(compact).toMatchObject({
      app: 'jit-mm-swift',
      level: 'info',
      msg: 'Order filled',
      fields: { market: 'SOL-PERP', orderId: '42', note: 'two words' },
    });
    expect(compact?.time.toISOString()).toBe('2025-08-30T21:49:03.511Z');
    expect(parseLogLine(formatVerbose(rec))).toMatchObject({ caller: 'onTaker:193', msg: 'Order filled' });
    const json = parseLogLine(JSON.stringify(rec));
    expect(json).toMatchObject({
      app: 'jit-mm-swift',
      level: 'info',
      levelValue: 30,
      fields: { orderId: 42 },
    });
    expect(parseLogLine('    at send (a.ts:1:1)')).toBeUndefined();
    expect(parseLogLine('garbage')).toBeUndefined();
  });
});

export function captureStream(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}
