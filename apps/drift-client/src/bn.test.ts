import { BN } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { bnToSafeNumber, fromBN, toBN } from './bn.js';

describe('BN <-> bigint', () => {
  it('round-trips values beyond 2^53 exactly, both signs', () => {
    for (const v of [0n, 1n, -1n, 2n ** 64n + 7n, -(2n ** 127n) + 3n, 150_123_456n]) {
      expect(fromBN(toBN(v))).toBe(v);
      expect(toBN(v).toString()).toBe(v.toString());
    }
  });

  it('reads an SDK BN without losing digits', () => {
    expect(fromBN(new BN('123456789012345678901234567890'))).toBe(123456789012345678901234567890n);
  });

  it('refuses to squeeze a large BN into a number, naming the field', () => {
    expect(bnToSafeNumber(new BN(42), 'slot')).toBe(42);
    expect(() => bnToSafeNumber(new BN('9007199254740993'), 'slot')).toThrow(/slot: 9007199254740993/);
  });
});
