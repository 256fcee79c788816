import { expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function breaker() {
  const clock = { now: 0 };
  return { clock, b: new CircuitBreaker({ failureThreshold: 3, openMs: 1_000 }, () => clock.now) };
}

it('opens after the threshold of consecutive failures; a success in between resets the count', () => {
  const { b } = breaker();
  b.onFailure();
  b.onFailure();
  b.onSuccess();
  b.onFailure();
  b.onFailure();
  expect(b.state).toBe('closed');
  b.onFailure();
  expect(b.state).toBe('open');
  expect(b.canRequest()).toBe(false);
});

it('half-opens after openMs with one trial at a time; the trial decides', () => {
  const { b, clock } = breaker();
  for (let i = 0; i < 3; i++) b.onFailure();
  clock.now = 999;
  expect(b.state).toBe('open');
  clock.now = 1_000;
  expect(b.state).toBe('half-open');
  expect(b.reopensAt).toBeUndefined();
  b.onRequest();
  expect(b.canRequest()).toBe(false); // the trial is out
  b.onFailure();
  expect(b.state).toBe('open');
  expect(b.reopensAt).toBe(2_000);
  clock.now = 2_000;
  b.onRequest();
  b.release(); // no verdict (rate limited): another trial may go
  expect(b.canRequest()).toBe(true);
  b.onSuccess();
  expect(b.state).toBe('closed');
});

it('ignores a late success while fully open', () => {
  const { b, clock } = breaker();
  for (let i = 0; i < 3; i++) b.onFailure();
  clock.now = 500;
  b.onSuccess();
  expect(b.state).toBe('open');
});
