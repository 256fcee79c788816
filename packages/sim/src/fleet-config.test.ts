import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleetConfig } from '@drift/config';
import { afterEach, describe, expect, it } from 'vitest';
import { px } from '../test/helpers.js';
import { DEFAULT_RIVALS } from './competition.js';
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

  it('gives paper mode the default rival makers unless the config names its own (or none)', () => {
    const defaults = engineConfigFromFleet(fleet({ markets: { 'SOL-PERP': { startPrice: '150' } } }).sim);
    expect(defaults.competition).toEqual({ rivals: [...DEFAULT_RIVALS], landingDelayMs: 150 });
    const own = { name: 'mm', participation: 1, edgeBps: { min: 2, max: 2 }, latencyMs: { min: 0, max: 50 } };
    const custom = fleet({
      markets: { 'SOL-PERP': { startPrice: '150' } },
      competition: { rivals: [own], landingDelayMs: 20 },
    });
    expect(engineConfigFromFleet(custom.sim).competition).toEqual({
      rivals: [{ ...own, maxShare: 1 }],
      landingDelayMs: 20,
    });
    const none = fleet({ markets: { 'SOL-PERP': { startPrice: '150' } }, competition: { rivals: [] } });
    expect(engineConfigFromFleet(none.sim).competition?.rivals).toEqual([]);
  });

  it('replays a recorded stream from its own clock, and names the path when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-stream-'));
    dirs.push(dir);
    const path = join(dir, 'day.jsonl');
    writeFileSync(
      path,
      [
        '{"kind":"oracle","price":{"market":"SOL-PERP","price":"151000000","ts":1000,"slot":70}}',
        '{"kind":"oracle","price":{"market":"SOL-PERP","price":"152000000","ts":1400,"slot":71}}',
      ].join('\n'),
    );
    const config = engineConfigFromFleet(
      fleet({ markets: { 'SOL-PERP': { startPrice: '150' } }, replayStream: path }).sim,
      { startTs: 5 },
    );
    expect(config).toMatchObject({ startTs: 1000, firstSlot: 70, replayTakers: [] });
    expect(config.markets[0]!.replay).toEqual([
      { ts: 1000, price: px('151') },
      { ts: 1400, price: px('152') },
    ]);
    const missing = fleet({
      markets: { 'SOL-PERP': { startPrice: '150' } },
      replayStream: join(dir, 'nope.jsonl'),
    });
    expect(() => engineConfigFromFleet(missing.sim)).toThrow(
      /sim\.replayStream: ".*nope\.jsonl" cannot be read \(ENOENT\)/,
    );
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
