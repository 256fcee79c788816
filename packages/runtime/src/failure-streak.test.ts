import { describe, expect, it } from 'vitest';
import { FailureStreak, isConnectionError } from './failure-streak.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8790'), { code: 'ECONNREFUSED' });

describe('FailureStreak', () => {
  it('a connection error is a warning while the streak is young, an error once it lasts', () => {
    const streak = new FailureStreak(30_000);
    expect(streak.failed(refused, 1_000)).toBe('warn');
    expect(streak.failed(refused, 20_000)).toBe('warn');
    expect(streak.failingForMs(20_000)).toBe(19_000);
    expect(streak.failed(refused, 31_000)).toBe('error');
    streak.succeeded();
    expect(streak.failingForMs(40_000)).toBe(0);
    expect(streak.failed(refused, 40_000)).toBe('warn');
  });

  it('any other failure is an error at once', () => {
    expect(new FailureStreak().failed(new Error('position read returned NaN'))).toBe('error');
    expect(new FailureStreak().failed('boom')).toBe('error');
  });

  it('recognises a connection error wrapped as the cause (fetch failed)', () => {
    expect(isConnectionError(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isConnectionError(new Error('ECONNREFUSED in the message only'))).toBe(false);
  });
});
