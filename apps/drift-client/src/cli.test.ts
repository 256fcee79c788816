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
});
