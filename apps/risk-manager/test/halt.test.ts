import fs from 'node:fs';
import { formatQuote } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import type { StateChange } from '../src/monitor.js';
import { loadRiskState } from '../src/state-store.js';
import { buy, fleetEngine, limitsFrom, monitorOf, restingBid, tempStatePath } from './fleet.js';

describe('halt on a crafted loss', () => {
  it('cancels every open order of every sub-account within 1 s of the breach, persists it and tells the orchestrator', async () => {
    // SOL falls from 150 to 99 at t=10 s: sub-account 1's 100 SOL long loses 5100 > 5000.
    const engine = fleetEngine({ prices: '0,150\n10000,99' });
    const statePath = tempStatePath();
    const changes: StateChange[] = [];
    const monitor = await monitorOf(engine, limitsFrom({ dailyLossLimit: '5000' }), statePath, { changes });

    expect(engine.place(1, buy('100')).ok).toBe(true);
    for (const sub of [1, 2, 3]) engine.place(sub, restingBid('90'));
    engine.place(2, restingBid('80'));
    await monitor.evaluate(); // records the day's start equity
    expect(monitor.state).toBe('active');
    expect(engine.openOrdersList()).toHaveLength(4);

    // The virtual clock moves in 100 ms steps with a poll after each, as the service polls.
    let breachTs: number | undefined;
    let clearedTs: number | undefined;
    let wallMs = 0;
    while (clearedTs === undefined && engine.clock().ts < Date.UTC(2026, 0, 1, 0, 0, 20)) {
      engine.advance(100);
      if (breachTs === undefined && engine.account(1).equity < engine.account(2).equity - 5_000_000_000n)
        breachTs = engine.clock().ts;
      const wallStart = performance.now();
      await monitor.evaluate();
      if (monitor.state === 'halted') wallMs = performance.now() - wallStart;
      if (engine.openOrdersList().length === 0) clearedTs = engine.clock().ts;
    }
    expect(breachTs).toBeDefined();
    expect(clearedTs! - breachTs!).toBeLessThanOrEqual(1000);
    expect(wallMs).toBeLessThan(1000);
    expect(monitor.state).toBe('halted');
    expect(monitor.currentBreaches.map((b) => b.limit)).toContain('dailyLoss');

    const persisted = loadRiskState(statePath);
    expect(persisted?.state).toBe('halted');
    expect(persisted?.reason).toMatch(/lost 5100/);
    expect(changes).toEqual([
      expect.objectContaining({ state: 'halted', previous: 'active', ts: clearedTs }),
    ]);
    expect(formatQuote(BigInt(persisted!.dayStartEquity!))).toBe('300000');

    // A bot not yet told places an order after the halt: the next poll cancels it.
    engine.place(3, restingBid('70'));
    await monitor.evaluate();
    expect(engine.openOrdersList()).toEqual([]);
    expect(changes).toHaveLength(1);
  });

  it('stays halted after the price recovers and across a restart, until an operator resets it', async () => {
    const engine = fleetEngine({ prices: '0,150\n1000,90\n3000,150' });
    const statePath = tempStatePath();
    const limits = limitsFrom({ dailyLossLimit: '5000' });
    const first = await monitorOf(engine, limits, statePath);
    engine.place(1, buy('100'));
    await first.evaluate();
    engine.advance(1200);
    await first.evaluate();
    expect(first.state).toBe('halted');

    engine.advance(3000); // back to 150: no breach any more
    const restarted = await monitorOf(engine, limits, statePath);
    expect(restarted.state).toBe('halted');
    await restarted.evaluate();
    expect(restarted.currentBreaches).toEqual([]);
    expect(restarted.state).toBe('halted');
    expect(fs.existsSync(statePath)).toBe(true);
  });
});
