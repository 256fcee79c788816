/** Every limit through the service: a case just inside stays quiet, one just past trips. */
import { DataFreshness, oracleSource, type RiskLimitName, type TradingStateName } from '@drift/domain';
import type { SimEngine } from '@drift/sim';
import { describe, expect, it } from 'vitest';
import type { RiskMonitor } from '../src/monitor.js';
import { fill, fleetEngine, limitsFrom, monitorOf, restingBid, tempStatePath } from './fleet.js';

interface LimitCase {
  limit: RiskLimitName;
  risk: Record<string, unknown>;
  engine?: Parameters<typeof fleetEngine>[0];
  /** Brings the fleet to the edge (`breach` false) or just past it (`breach` true). */
  drive: (engine: SimEngine, breach: boolean, monitor: RiskMonitor) => Promise<void> | void;
  trips: TradingStateName;
}

const cases: LimitCase[] = [
  {
    limit: 'position',
    risk: { maxPositionBase: { 'SOL-PERP': '500' } },
    drive: (e, breach) => fill(e, 1, breach ? '500.01' : '500'),
    trips: 'reducing',
  },
  {
    limit: 'grossNotional',
    risk: { maxGrossNotional: '99999' }, // 150 * (400 + 266.66) = 99999 | one step more: 100000.5
    drive: (e, breach) => {
      fill(e, 1, '400');
      fill(e, 2, breach ? '266.67' : '266.66');
    },
    trips: 'reducing',
  },
  {
    limit: 'leverage',
    risk: { maxLeverage: '5' }, // 9999 USDC equity: 5x = 49995 notional = 333.3 SOL at 150
    engine: { collateral: '9999' },
    drive: (e, breach) => fill(e, 1, breach ? '333.31' : '333.3'),
    trips: 'reducing',
  },
  {
    limit: 'dailyLoss',
    risk: { dailyLossLimit: '5000' }, // 100 SOL long: 150 -> 100 loses exactly 5000
    drive: async (e, _breach, monitor) => {
      fill(e, 1, '100');
      await monitor.evaluate(); // the day's start equity
      e.advance(1200);
    },
    trips: 'halted',
  },
  {
    limit: 'staleOracle',
    risk: { staleOracleMs: 4800 }, // oracle every 40 s; 12 slots = 4800 ms old
    engine: { oracleIntervalSlots: 100 },
    drive: (e, breach) => e.advance(breach ? 5200 : 4800),
    trips: 'reducing',
  },
  {
    limit: 'orderRate',
    risk: { maxOrdersPerMinute: 5 },
    drive: async (e, breach, monitor) => {
      monitor.listen();
      for (let i = 0; i < (breach ? 6 : 5); i++) e.place(3, restingBid(String(100 + i)));
      await new Promise((r) => setImmediate(r));
    },
    trips: 'halted',
  },
];

describe.each(cases)('$limit limit', ({ limit, risk, engine: engineOpts, drive, trips }) => {
  async function run(breach: boolean) {
    const prices = limit === 'dailyLoss' ? (breach ? '0,150\n1000,99.99' : '0,150\n1000,100') : '0,150';
    const engine = fleetEngine({ ...engineOpts, prices });
    const monitor = await monitorOf(engine, limitsFrom(risk), tempStatePath());
    await drive(engine, breach, monitor);
    await monitor.evaluate();
    await monitor.stop();
    return monitor;
  }

  it('stays quiet just inside the limit', async () => {
    const monitor = await run(false);
    expect(monitor.currentBreaches).toEqual([]);
    expect(monitor.state).toBe('active');
  });

  it(`trips to ${trips} just past it`, async () => {
    const monitor = await run(true);
    expect(monitor.currentBreaches.map((b) => b.limit)).toEqual([limit]);
    expect(monitor.state).toBe(trips);
  });
});

describe('the age of what the limits judge', () => {
  it('is reported from the readings an evaluation makes: stale with the oracle, fresh after', async () => {
    const engine = fleetEngine({ prices: '0,150' });
    let local = 0;
    const freshness = new DataFreshness({
      maxAgeMs: 5_000,
      sources: [oracleSource('SOL-PERP')],
      now: () => local,
    });
    const monitor = await monitorOf(engine, limitsFrom({ staleOracleMs: 5_000 }), tempStatePath(), {
      freshness,
    });
    await monitor.evaluate();
    expect(freshness.report()).toMatchObject({ dataStale: false, dataAgeMs: { 'oracle:SOL-PERP': 0 } });
    engine.stallOracles();
    engine.advance(6_000);
    local += 10; // an evaluation a moment later sees the venue 6 s on, the oracle where it was
    await monitor.evaluate();
    expect(freshness.report()).toMatchObject({ dataStale: true, staleSources: ['oracle:SOL-PERP'] });
    expect(freshness.report().dataAgeMs['oracle:SOL-PERP']).toBeGreaterThanOrEqual(6_000);
    expect(monitor.state).toBe('reducing');
    engine.resumeOracles();
    engine.advance(400);
    await monitor.evaluate();
    expect(freshness.report().dataStale).toBe(false);
    await monitor.stop();
  });
});
