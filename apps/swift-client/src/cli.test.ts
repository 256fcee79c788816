import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';

describe('parseCli', () => {
  it('reads repeated --market', () => {
    expect(parseCli([])).toEqual({ markets: [] });
    expect(parseCli(['--market', 'SOL-PERP', '--market', 'BTC-PERP'])).toEqual({
      markets: ['SOL-PERP', 'BTC-PERP'],
    });
  });

  it('names a bad market and an unknown option', () => {
    expect(() => parseCli(['--market', 'sol'])).toThrow(/--market: "sol" is not a perp market symbol/);
    expect(() => parseCli(['--verbose'])).toThrow(/--verbose/);
  });

  it('reads --record, refusing a path in a missing directory', () => {
    expect(parseCli(['--record', 'takers.jsonl'])).toEqual({ markets: [], record: resolve('takers.jsonl') });
    expect(() => parseCli(['--record', '/no/such/dir/t.jsonl'])).toThrow(
      /--record: ".*" is in a directory that does not exist/,
    );
  });
});
