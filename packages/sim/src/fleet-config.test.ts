import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleetConfig } from '@drift/core';
import { afterEach, describe, expect, it } from 'vitest';
import { px } from '../test/helpers.js';
import { engineConfigFromFleet } from './fleet-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fleet(sim: object) {
  return parseFleetConfig({
    mode: 'paper',
    env: 'devnet',
    markets: ['SOL-PERP'],
    rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }] },
    sim,
    risk: {
      maxPositionBase: { 'SOL-PERP': '500' },
      maxGrossNotional: '1000000',
      maxLeverage: '5',
      dailyLossLimit: '5000',
      staleOracleMs: 5000,
      maxOrdersPerMinute: 600,
    },
  });
}

describe('engineConfigFromFleet', () => {
  it('maps the sim section onto engine units', () => {
    const config = fleet({
      seed: 9,
      slotMs: 200,
      markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 80 }, 'BTC-PERP': { startPrice: '65000' } },
      subAccounts: { '2': { collateral: '2500' } },
      fees: { takerBps: '5', makerBps: '-1' },
      auctionDurationSlots: 4,
      swiftOrdersPerMinute: 12,
    });
    const engine = engineConfigFromFleet(config.sim, { startTs: 5, markets: config.markets });
    expect(engine).toMatchObject({
      seed: 9,
      slotMs: 200,
      startTs: 5,
      subAccounts: { 2: 2_500_000_000n },
      takerFeeRate: 500n,
      makerFeeRate: -100n,
      auction: { durationSlots: 4 },
      takerFlow: { ordersPerMinute: 12 },
    });
    expect(engine.markets.map((m) => [m.spec.symbol, m.startPrice, m.volatilityBps])).toEqual([
      ['SOL-PERP', px('150'), 80],
    ]);
    expect(engineConfigFromFleet(config.sim).markets).toHaveLength(2);
  });

  it('reads a replay CSV and names the market and path when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-replay-'));
    dirs.push(dir);
    const csv = join(dir, 'sol.csv');
    writeFileSync(csv, 'timestamp,price\n0,150\n400,151\n');
    const ok = fleet({ markets: { 'SOL-PERP': { startPrice: '1', replayCsv: csv } } });
    expect(engineConfigFromFleet(ok.sim).markets[0]!.replay).toEqual([
      { ts: 0, price: px('150') },
      { ts: 400, price: px('151') },
    ]);
    const missing = fleet({ markets: { 'SOL-PERP': { startPrice: '1', replayCsv: join(dir, 'nope.csv') } } });
    expect(() => engineConfigFromFleet(missing.sim)).toThrow(
      /sim\.markets\.SOL-PERP\.replayCsv: ".*nope\.csv" cannot be read \(ENOENT\)/,
    );
    expect(() => engineConfigFromFleet(ok.sim, { markets: ['BTC-PERP'] })).toThrow(
      'sim.markets.BTC-PERP: missing',
    );
  });
});
