import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absBig, findMarket, type LimitSet, parseBase, parsePrice, parseQuote } from '@drift/domain';
import { type HistoryEntry, SimEngine, type SimEngineConfig, SimVenue } from '@drift/sim';
import { type LogLine, recordingLogger } from '@drift/test-support';
import { startRiskCheckedOrders } from 'order-management';
import { afterEach, describe, expect, it } from 'vitest';
import { HedgeBot } from '../src/bot.js';
import type { HedgeBotParams } from '../src/params.js';

const SOL = findMarket('SOL-PERP')!;
const MM = 1; // the market maker's sub-account, watched
const HEDGE = 2; // the hedge bot's own
const OTHER = 9; // the rest of the market

const PARAMS: HedgeBotParams = {
  watchSubAccounts: [MM],
  bandBase: { 'SOL-PERP': parseBase('20') },
  maxOrderBase: { 'SOL-PERP': parseBase('25') },
  maxSlippageBps: 40,
  cooldownMs: 2_000,
  pollIntervalMs: 1_000,
  orderType: 'market',
};

const LIMITS: LimitSet = {
  maxPositionBase: { 'SOL-PERP': parseBase('500') },
  maxGrossNotional: parseQuote('1000000'),
  maxLeverageBps: 50_000n,
  dailyLossLimit: parseQuote('5000'),
  staleOracleMs: 5_000,
  maxOrdersPerMinute: 600,
};

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(config: Partial<SimEngineConfig> = {}) {
  const engine = new SimEngine({
    seed: 5,
    markets: [{ spec: SOL, startPrice: parsePrice('150'), volatilityBps: 60 }],
    ...config,
  });
  const dir = mkdtempSync(join(tmpdir(), 'hedge-bot-'));
  const lines: LogLine[] = [];
  const logger = recordingLogger(lines);
  const venue = SimVenue.embedded(engine, HEDGE);
  await venue.connect();
  const orders = await startRiskCheckedOrders({
    bot: 'hedge-bot',
    venue,
    journal: join(dir, 'j.sqlite'),
    logger,
    rateLimit: false,
    limits: LIMITS,
  });
  const bot = new HedgeBot({ venue, orders, logger, params: PARAMS });
  cleanup = async () => {
    await bot.stop();
    await orders.stop({ cancel: false });
    await venue.close();
    rmSync(dir, { recursive: true, force: true });
  };
  /** `seconds` of venue time, polling once per venue second like the process does. */
  const run = async (seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      engine.advance(1_000);
      await bot.poll();
    }
  };
  return { engine, bot, orders, lines, run };
}

/** Gives `sub` a position of `base` (signed) by trading against a resting order of OTHER. */
function seedPosition(engine: SimEngine, sub: number, base: string) {
  const size = parseBase(base.replace('-', ''));
  const price = engine.oracle('SOL-PERP').price;
  const side = base.startsWith('-') ? 'sell' : 'buy';
  engine.place(OTHER, {
    market: 'SOL-PERP',
    side: side === 'buy' ? 'sell' : 'buy',
    type: 'limit',
    price,
    baseAmount: size,
  });
  const r = engine.place(sub, { market: 'SOL-PERP', side, type: 'limit', price, baseAmount: size });
  if (!r.ok || r.fills.length === 0) throw new Error('seeding the position failed');
}

const net = (engine: SimEngine) =>
  [MM, HEDGE].reduce((sum, sub) => sum + (engine.positions({ subAccount: sub })[0]?.baseAmount ?? 0n), 0n);

const hedgeOrders = (engine: SimEngine) =>
  engine
    .history()
    .filter((e): e is Extract<HistoryEntry, { kind: 'order-accepted' }> => e.kind === 'order-accepted')
    .filter((e) => e.order.subAccount === HEDGE);

describe('hedge-bot on the simulator', () => {
  it('brings a seeded long exposure of the market maker back inside the band, in capped orders', async () => {
    const h = await setup();
    seedPosition(h.engine, MM, '60');
    await h.run(30);

    expect(absBig(net(h.engine))).toBeLessThanOrEqual(PARAMS.bandBase['SOL-PERP']!);
    const orders = hedgeOrders(h.engine);
    expect(orders.map((o) => o.order.side)).toEqual(['sell', 'sell']); // 60 -> 35 -> 10
    for (const o of orders) expect(o.order.baseAmount).toBeLessThanOrEqual(PARAMS.maxOrderBase['SOL-PERP']!);
    // Fills never worse than the max slippage from the oracle when the hedge was sent.
    for (const line of h.lines.filter((l) => l.msg === 'hedge sent')) {
      const oracle = parsePrice(line.fields.oracle as string);
      const limit = parsePrice(line.fields.limitPrice as string);
      expect(limit).toBeGreaterThanOrEqual(oracle - (oracle * 40n) / 10_000n);
      expect(line.fields).toMatchObject({
        market: 'SOL-PERP',
        bot: 'hedge-bot',
        positions: { [MM]: expect.any(String) },
      });
    }
    const fills = h.engine.fills({ subAccount: HEDGE });
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) expect(f.price).toBeGreaterThanOrEqual(parsePrice('150') - parsePrice('1'));
    expect(h.lines.filter((l) => l.msg === 'hedge sent')[0]?.fields.netExposure).toBe('60');

    // Once inside the band it leaves the market alone.
    const before = hedgeOrders(h.engine).length;
    await h.run(60);
    expect(hedgeOrders(h.engine).length).toBe(before);
  });

  it('hedges a short exposure by buying, netting its own position with the watched one', async () => {
    const h = await setup();
    seedPosition(h.engine, MM, '-30');
    seedPosition(h.engine, HEDGE, '-5');
    await h.run(20);
    expect(hedgeOrders(h.engine).filter((o) => o.order.side === 'buy').length).toBeGreaterThan(0);
    expect(absBig(net(h.engine))).toBeLessThanOrEqual(PARAMS.bandBase['SOL-PERP']!);
  });

  it('does not trade in a flat market with an exposure inside the band', async () => {
    const h = await setup();
    seedPosition(h.engine, MM, '15');
    await h.run(120);
    expect(hedgeOrders(h.engine)).toEqual([]);
    expect(h.bot.counters().outcomes['inside-band']).toBe(120);
  });

  it('trades nothing while halted', async () => {
    const h = await setup();
    seedPosition(h.engine, MM, '60');
    h.orders.setTradingState('halted', 'test');
    await h.run(10);
    expect(hedgeOrders(h.engine)).toEqual([]);
    expect(h.bot.counters().outcomes.halted).toBe(10);
  });
});
