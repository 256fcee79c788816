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
});
