import { describe, expect, it } from 'vitest';
import { errorMessage } from '../src/index.js';

describe('errorMessage', () => {
  it("is an Error's message", () => {
    expect(errorMessage(new TypeError('bad port'))).toBe('bad port');
  });

  it('is the string form of anything else thrown', () => {
    expect(errorMessage('disk full')).toBe('disk full');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
