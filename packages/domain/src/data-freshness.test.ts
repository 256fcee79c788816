import { describe, expect, it } from 'vitest';
import { DataFreshness, oracleSource } from './data-freshness.js';

const SOL = oracleSource('SOL-PERP');

function tracker(maxAgeMs = 5_000) {
  let local = 1_000;
  const f = new DataFreshness({ maxAgeMs, sources: [SOL], now: () => local });
  return { f, tick: (ms: number) => (local += ms) };
}

describe('DataFreshness', () => {
  it('ages an oracle by its own venue time, not by when the reading arrived', () => {
    const { f } = tracker();
    f.clockRead({ slot: 100, ts: 50_000 });
    // Arrives now, but was published 7 s of venue time ago: stale at once.
    f.observe(SOL, 43_000);
    const r = f.report();
    expect(r.dataAgeMs[SOL]).toBe(7_000);
    expect(r.dataStale).toBe(true);
    expect(r.staleSources).toEqual([SOL]);
    f.observe(SOL, 49_600);
    expect(f.report()).toMatchObject({ dataStale: false, staleSources: [] });
  });

  it('a feed repeating the same reading grows old while the venue clock moves on', () => {
    const { f, tick } = tracker();
    f.clockRead({ slot: 100, ts: 50_000 });
    f.observe(SOL, 50_000);
    for (let i = 1; i <= 20; i++) {
      tick(400);
      f.clockRead({ slot: 100 + i, ts: 50_000 + i * 400 });
      f.observe(SOL, 50_000); // the same stale reading, delivered again
    }
    expect(f.report().dataAgeMs[SOL]).toBe(8_000);
    expect(f.report().dataStale).toBe(true);
    // An older stamp arriving late does not make it younger or older.
    f.observe(SOL, 10_000);
    expect(f.report().dataAgeMs[SOL]).toBe(8_000);
  });

  it('a clock that stops answering makes every age grow (slot included)', () => {
    const { f, tick } = tracker();
    f.clockRead({ slot: 100, ts: 50_000 });
    f.observe(SOL, 50_000);
    tick(3_000);
    expect(f.report()).toMatchObject({ dataAgeMs: { slot: 3_000, [SOL]: 3_000 }, dataStale: false });
    tick(3_000);
    expect(f.report()).toMatchObject({ dataStale: true, staleSources: ['slot', SOL] });
  });

  it('the slot is stale when clock readings come but the slot does not advance', () => {
    const { f, tick } = tracker();
    for (let i = 0; i < 7; i++) {
      f.clockRead({ slot: 100, ts: 50_000 });
      tick(1_000);
    }
    expect(f.report().dataAgeMs.slot).toBe(7_000);
    expect(f.report().staleSources).toContain('slot');
  });

  it('a source never seen is as old as the tracker; unknown sources are ignored', () => {
    const { f, tick } = tracker();
    f.observe('oracle:NOPE', 1);
    tick(6_000);
    f.clockRead({ slot: 1, ts: 1 });
    const r = f.report();
    expect(Object.keys(r.dataAgeMs).sort()).toEqual([SOL, 'slot']);
    expect(r.dataAgeMs[SOL]).toBe(6_000);
    expect(r.staleSources).toEqual([SOL]);
  });

  it('a venue whose clock goes back (a restarted simulator) starts afresh', () => {
    const { f, tick } = tracker();
    f.clockRead({ slot: 9_000, ts: 900_000 });
    f.observe(SOL, 900_000);
    tick(500);
    // The new venue's time is behind the old one's: the old stamp must not look younger than it is.
    f.clockRead({ slot: 3, ts: 10_000 });
    expect(f.report()).toMatchObject({ dataAgeMs: { slot: 0, [SOL]: 0 }, dataStale: false });
    tick(6_000);
    f.clockRead({ slot: 18, ts: 16_000 });
    expect(f.report()).toMatchObject({ dataAgeMs: { slot: 0, [SOL]: 6_000 }, dataStale: true });
    f.observe(SOL, 15_800);
    expect(f.report().dataAgeMs[SOL]).toBe(200);
  });

  it('a fast-forwarded venue ages data by its own clock (local time x speed), the slot by ours', () => {
    let local = 0;
    const f = new DataFreshness({ maxAgeMs: 5_000, sources: [SOL], speed: 30, now: () => local });
    f.clockRead({ slot: 10, ts: 4_000 });
    f.observe(SOL, 4_000);
    local += 200; // 6 s of venue time with no reading at all
    expect(f.report()).toMatchObject({ dataAgeMs: { slot: 200, [SOL]: 6_000 }, staleSources: [SOL] });
  });
});
