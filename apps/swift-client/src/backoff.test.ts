import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('draws below an exponential bound that stops at the cap', () => {
    const bounds: number[] = [];
    const backoff = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0.999999 });
    for (let i = 0; i < 6; i++) bounds.push(backoff.next());
    expect(bounds).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('jitters: the draw scales the bound', () => {
    const backoff = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0.5 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 100, 200]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ baseMs: 100, capMs: 10_000, random: () => 0.999999 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(99);
  });
});
