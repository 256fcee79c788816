import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleetConfig } from '@drift/config';
import { afterEach, describe, expect, it } from 'vitest';
import { base, px, usd } from '../test/helpers.js';
import { DEFAULT_RIVALS } from './competition.js';
import { SimEngine } from './engine.js';
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

  it("puts each sub-account on its configured fee tier: a higher tier's taker fee and maker rebate", () => {
    const config = fleet({
      markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 0 } },
      subAccounts: {
        '1': { collateral: '100000' }, // tier 1: 3.5 bps taker, 0.25 bps rebate (Drift's base tier)
        '2': { collateral: '100000', feeTier: 4 }, // Drift's tier 4: 2.5 bps taker
        '3': { collateral: '100000', feeTier: 2 },
      },
      fees: {
        tiers: [
          { takerBps: '3', makerBps: '-0.5' },
          { takerBps: '2.75', makerBps: '-0.5' },
          { takerBps: '2.5', makerBps: '-1' },
        ],
      },
      competition: { rivals: [] },
    });
    const engine = new SimEngine(engineConfigFromFleet(config.sim));
    const sell = { market: 'SOL-PERP', side: 'sell', type: 'limit', price: px('150') } as const;
    const buy = { ...sell, side: 'buy', ioc: true } as const;
    const trade = (maker: number, taker: number) => {
      engine.place(maker, { ...sell, baseAmount: base('10'), postOnly: true });
      const taken = engine.place(taker, { ...buy, baseAmount: base('10') });
      if (!taken.ok) throw new Error(taken.message);
      const makerFill = engine.fills({ subAccount: maker }).at(-1)!;
      return { taker: taken.fills[0]!.fee, maker: makerFill.fee };
    };
    // 1,500 USDC a fill: tier 1 pays 0.525 taker, earns 0.0375; tier 4 pays 0.375 and earns 0.15.
    expect(trade(2, 1)).toEqual({ taker: usd('0.525'), maker: -usd('0.15') });
    expect(trade(1, 2)).toEqual({ taker: usd('0.375'), maker: -usd('0.0375') });
    expect(trade(3, 2)).toEqual({ taker: usd('0.375'), maker: -usd('0.075') });
  });

  it("defaults to Drift's tier 1 for every sub-account, with Drift's rates above it", () => {
    const engine = engineConfigFromFleet(
      fleet({ markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts: { '1': { collateral: '10' } } })
        .sim,
    );
    expect(engine.volume30d).toEqual({});
    expect(engine.feeTiers?.map((t) => [t.taker, t.maker])).toEqual([
      [350n, -25n],
      [300n, -25n],
      [275n, -25n],
      [250n, -25n],
      [225n, -25n],
      [200n, -25n],
    ]);
    const tier3 = engineConfigFromFleet(
      fleet({
        markets: { 'SOL-PERP': { startPrice: '150' } },
        subAccounts: { '1': { collateral: '10' } },
        fees: { tier: 3 },
      }).sim,
    );
    expect(tier3.volume30d).toEqual({ 1: usd('5000000') });
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
