import { findMarket } from '@drift/core';
import { describe, expect, it } from 'vitest';

describe('markets', () => {
  it('finds SOL-PERP', () => {
    expect(findMarket('SOL-PERP')?.marketIndex).toBe(0);
  });
});
