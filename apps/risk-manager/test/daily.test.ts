/** The daily-loss base: kept across a restart, renewed when the UTC day rolls. */
import { formatQuote } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { loadRiskState } from '../src/state-store.js';
import { fill, fleetEngine, limitsFrom, monitorOf, tempStatePath } from './fleet.js';

describe("the day's start equity", () => {
  it('survives a restart: a loss made while the risk manager was down still halts', async () => {
    const engine = fleetEngine({ prices: '0,150\n1000,90' });
    const statePath = tempStatePath();
    const limits = limitsFrom({ dailyLossLimit: '5000' });
    fill(engine, 1, '100');
    const before = await monitorOf(engine, limits, statePath);
    await before.evaluate();
    await before.stop();

    engine.advance(1200); // 6000 lost while no risk manager runs
    const after = await monitorOf(engine, limits, statePath);
    await after.evaluate();
    expect(after.state).toBe('halted');
    expect(formatQuote(BigInt(loadRiskState(statePath)!.dayStartEquity!))).toBe('300000');
  });

  it('rolls at UTC midnight: a new day starts from the equity then', async () => {
    // 10 s before midnight; 100 SOL long loses 4000 before midnight (150 -> 110) and 4000 after (-> 70):
    // 8000 from yesterday's base would halt, 4000 from today's does not.
    const engine = fleetEngine({
      prices: '0,150\n5000,110\n20000,70',
      startTs: Date.UTC(2026, 0, 1) - 10_000,
    });
    const statePath = tempStatePath();
    const monitor = await monitorOf(engine, limitsFrom({ dailyLossLimit: '5000' }), statePath);
    fill(engine, 1, '100');
    await monitor.evaluate();
    expect(loadRiskState(statePath)?.day).toBe('2025-12-31');

    engine.advance(12_000); // past midnight, SOL at 110
    await monitor.evaluate();
    expect(loadRiskState(statePath)).toMatchObject({ day: '2026-01-01', dayStartEquity: '296000000000' });

    engine.advance(10_000); // SOL at 70
    await monitor.evaluate();
    expect(monitor.currentBreaches).toEqual([]);
    expect(monitor.state).toBe('active');
  });
});
