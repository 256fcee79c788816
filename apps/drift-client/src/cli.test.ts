import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';

describe('parseCli', () => {
  it('reads --watch and --sub-account', () => {
    expect(parseCli([])).toEqual({ watch: false });
    expect(parseCli(['--watch', '--sub-account', '2'])).toEqual({ watch: true, subAccount: 2 });
  });

  it('names a bad argument and its value', () => {
    expect(() => parseCli(['--sub-account', 'two'])).toThrow(
      /--sub-account: "two" is not a sub-account number/,
    );
    expect(() => parseCli(['--wach'])).toThrow(/--wach/);
  });

  it('reads --record as an absolute file path whose directory exists', () => {
    expect(parseCli(['--record', 'oracles.jsonl']).record).toBe(resolve('oracles.jsonl'));
    expect(() => parseCli(['--record', '/no/such/dir/x.jsonl'])).toThrow(
      /--record: "\/no\/such\/dir\/x.jsonl" is in a directory that does not exist/,
    );
    expect(() => parseCli(['--record', tmpdir()])).toThrow(/--record: ".*" is not a file/);
  });
});
