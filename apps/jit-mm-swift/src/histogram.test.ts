import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('counts samples into fixed buckets and reads quantiles as bucket bounds', () => {
    const h = new Histogram([100, 1_000, 10_000]);
    for (const v of [50, 80, 100, 101, 900, 5_000, 20_000]) h.record(v);
    expect(h.count).toBe(7);
    expect(h.toCounters('lat')).toEqual({
      'lat.le_100us': 3,
      'lat.le_1000us': 2,
      'lat.le_10000us': 1,
      'lat.inf': 1,
      'lat.count': 7,
      'lat.p50us': 1_000,
      'lat.p99us': 20_000, // the overflow bucket reports the max seen
    });
    expect(h.quantile(0.4)).toBe(100);
  });

  it('refuses bounds that do not increase', () => {
    expect(() => new Histogram([10, 10])).toThrow(/increase/);
  });
});
