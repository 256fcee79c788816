import type { RestartPolicy } from '@drift/config';
import { describe, expect, it } from 'vitest';
import { RestartTracker } from './restart-policy.js';

const policy: RestartPolicy = {
  baseMs: 100,
  factor: 2,
  capMs: 500,
  stableAfterMs: 10_000,
  maxRestarts: 4,
  windowMs: 60_000,
  minUptimeMs: 1_000,
};

describe('RestartTracker', () => {
  it('backs off exponentially up to the cap', () => {
    const t = new RestartTracker({ ...policy, maxRestarts: 100 });
    const delays = [0, 1, 2, 3, 4].map((i) => t.onExit(i * 1000, 50));
    expect(delays.map((d) => (d.restart ? d.delayMs : -1))).toEqual([100, 200, 400, 500, 500]);
    expect(t.failedStarts).toBe(5);
  });

  it('resets the backoff after a stable run', () => {
    const t = new RestartTracker({ ...policy, maxRestarts: 100 });
    t.onExit(0, 50);
    t.onExit(1000, 50);
    expect(t.onExit(30_000, 20_000)).toEqual({ restart: true, delayMs: 100 });
  });

  it('declares a crash loop after more than maxRestarts exits within the window', () => {
    const t = new RestartTracker(policy);
    for (let i = 0; i < 4; i++) expect(t.onExit(i * 100, 2000).restart).toBe(true);
    expect(t.onExit(500, 2000)).toEqual({ restart: false, reason: 'crash-looping' });
  });

  it('forgets exits older than the window', () => {
    const t = new RestartTracker(policy);
    for (let i = 0; i < 4; i++) t.onExit(i * 100, 2000);
    expect(t.onExit(70_000, 2000).restart).toBe(true);
  });
});
