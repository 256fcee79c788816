import { describe, expect, it } from 'vitest';
import {
  applyBps,
  divRound,
  formatBase,
  formatPrice,
  parseBase,
  parseDecimal,
  parsePrice,
  priceOf,
  quoteValue,
  roundToStep,
} from './precision.js';

describe('parse and format at Drift precisions', () => {
  it('parses human prices and sizes exactly', () => {
    expect(parsePrice('150.25')).toBe(150_250_000n);
    expect(parseBase('1.5')).toBe(1_500_000_000n);
    expect(parseBase('-0.000000001')).toBe(-1n);
    expect(formatPrice(150_250_000n)).toBe('150.25');
    expect(formatBase(-1n)).toBe('-0.000000001');
  });

  it('refuses input it would have to round, unless a rounding rule is given', () => {
    expect(() => parsePrice('0.0000001')).toThrow(/more than 6 decimal places/);
    expect(parsePrice('0.0000015', 'half-even')).toBe(2n);
    expect(parsePrice('0.0000025', 'half-even')).toBe(2n);
    expect(parsePrice('0.0000019', 'trunc')).toBe(1n);
  });

  it('refuses what is not a decimal string', () => {
    expect(() => parseDecimal('1e3', 6)).toThrow(/not a decimal/);
    expect(() => parseDecimal('abc', 6)).toThrow(/"abc"/);
    expect(() => parseDecimal(1.5 as unknown as string, 6)).toThrow(/decimal string/);
  });
});

describe('rounding rules', () => {
  it.each([
    [7n, 2n, 'floor', 3n],
    [-7n, 2n, 'floor', -4n],
    [7n, 2n, 'ceil', 4n],
    [-7n, 2n, 'ceil', -3n],
    [7n, 2n, 'trunc', 3n],
    [-7n, 2n, 'trunc', -3n],
    [5n, 2n, 'half-even', 2n],
    [7n, 2n, 'half-even', 4n],
    [-5n, 2n, 'half-even', -2n],
    [8n, 3n, 'half-even', 3n],
  ] as const)('%s / %s %s = %s', (n, d, r, want) => {
    expect(divRound(n, d, r)).toBe(want);
  });

  it('exact division refuses a remainder', () => {
    expect(() => divRound(7n, 2n, 'exact')).toThrow(/not exact/);
  });
});

describe('money arithmetic', () => {
  it('quote value of a fill: 2.5 SOL at 150.123456 = 375.30864 USDC', () => {
    expect(quoteValue(parsePrice('150.123456'), parseBase('2.5'))).toBe(375_308_640n);
  });

  it('price of a quote amount paid for a size: the inverse of the quote value', () => {
    expect(priceOf(375_308_640n, parseBase('2.5'))).toBe(parsePrice('150.123456'));
    expect(priceOf(-150_000_000n, parseBase('1'))).toBe(-150_000_000n);
    expect(priceOf(1n, 3n, 'floor')).toBe(333_333_333n);
  });

  it('basis points and steps', () => {
    expect(applyBps(1_000_000n, 25)).toBe(2_500n);
    expect(applyBps(-1_000_001n, 25, 'floor')).toBe(-2_501n);
    expect(roundToStep(150_250_050n, 100n, 'floor')).toBe(150_250_000n);
    expect(roundToStep(150_250_050n, 100n, 'ceil')).toBe(150_250_100n);
  });
});
