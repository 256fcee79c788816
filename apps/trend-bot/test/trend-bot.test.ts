import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMarket, type LimitSet, parseBase, parseDecimal, parsePrice, parseQuote } from '@drift/domain';
import { type HistoryEntry, parseOracleCsv, SimEngine, SimVenue } from '@drift/sim';
import { type LogLine, recordingLogger } from '@drift/test-support';
import { startRiskCheckedOrders } from 'order-management';
import { afterEach, describe, expect, it } from 'vitest';
import { TrendBot } from '../src/bot.js';
import type { TrendBotParams } from '../src/params.js';
import { CRAFTED_CLOSES } from './crafted-path.js';

const SOL = findMarket('SOL-PERP')!;
const SUB = 3;
const SLOTS_PER_BAR = 60_000 / 400;

const PARAMS: TrendBotParams = {
  markets: ['SOL-PERP'],
  timeframe: 60_000,
  signal: { type: 'ema-cross', fastPeriod: 3, slowPeriod: 6 },
  atrPeriod: 3,
  riskPerTradeBps: 50, // of 25,000 USDC: 125 USDC lost at the stop
  stopAtr: parseDecimal('2', 1),
  maxPositionBase: { 'SOL-PERP': parseBase('100') },
  maxSlippageBps: 50,
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

const PATH = CRAFTED_CLOSES;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** The bot on a simulator replaying `closes` (one per minute), run until the last bar has closed and traded. */
async function runPath(
  closes: readonly string[],
  params: TrendBotParams = PARAMS,
  halt: { fromSlot: number; toSlot: number } | undefined = undefined,
) {
  const csv = ['timestamp,price', ...closes.map((p, i) => `${i * 60_000},${p}`)].join('\n');
  const engine = new SimEngine({
    seed: 1,
    markets: [{ spec: SOL, startPrice: parsePrice('100'), replay: parseOracleCsv(csv, SOL.tickSize) }],
    subAccounts: { [SUB]: parseQuote('25000') },
    takerFeeRate: 0n,
  });
  const dir = mkdtempSync(join(tmpdir(), 'trend-bot-'));
  const lines: LogLine[] = [];
  const logger = recordingLogger(lines);
  const venue = SimVenue.embedded(engine, SUB);
  await venue.connect();
  const orders = await startRiskCheckedOrders({
    bot: 'trend-bot',
    venue,
    journal: join(dir, 'j.sqlite'),
    logger,
    rateLimit: false,
    limits: LIMITS,
  });
  const bot = new TrendBot({ venue, orders, logger, params });
  await bot.start();
  cleanup = async () => {
    await bot.stop();
    await orders.stop({ cancel: false });
    await venue.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const run = async (slots: number) => {
    for (let s = 0; s < slots; s++) {
      const slot = engine.clock().slot;
      if (slot === halt?.fromSlot) orders.setTradingState('halted', 'test: risk halt');
      if (slot === halt?.toSlot) orders.setTradingState('active', 'test: resume');
      engine.advanceSlots(1);
      await bot.idle();
    }
  };
  // Bar n closes with the first price of bar n + 1; its order's auction takes 10 more slots.
  await run(closes.length * SLOTS_PER_BAR + 20);
  const accepted = engine
    .history()
    .filter((e): e is Extract<HistoryEntry, { kind: 'order-accepted' }> => e.kind === 'order-accepted')
    .filter((e) => e.order.subAccount === SUB);
  // A bar's order goes out when the next bar's first price closes it.
  const orderBars = accepted.map((e) => `${e.slot / SLOTS_PER_BAR - 1}:${e.order.side}`);
  const position = engine.positions({ subAccount: SUB, market: 'SOL-PERP' })[0]?.baseAmount ?? 0n;
  const signals = lines.filter((l) => l.msg === 'trend signal');
  return { engine, bot, orders, lines, run, accepted, orderBars, position, signals };
}

describe('trend-bot on a crafted price path', () => {
  it("enters and reverses at the bars where the EMAs cross, holding the rule's target", async () => {
    const r = await runPath(PATH);
    expect(r.signals.map((l) => l.fields.signal)).toEqual(['enter-short', 'enter-long', 'enter-short']);
    expect(r.orderBars).toEqual(['5:sell', '9:buy', '14:sell']);
    const last = r.signals.at(-1)!.fields.target as string;
    expect(r.position).toBe(-parseBase(last.replace('-', '')));
    expect(r.position).toBeLessThan(0n);
    expect(r.bot.counters()).toMatchObject({ entries: 3, stops: 0, trades: 3 });
  });

  it('exits at the stop bar and stays flat', async () => {
    const tight = { ...PARAMS, stopAtr: parseDecimal('0.5', 1) };
    const r = await runPath([...PATH.slice(0, 13), '100.5'], tight);
    expect(r.signals.map((l) => l.fields.signal)).toEqual(['enter-short', 'enter-long', 'stop']);
    expect(r.orderBars).toEqual(['5:sell', '9:buy', '13:sell']);
    expect(r.position).toBe(0n);
  });

  it('never exceeds the max position', async () => {
    const small = { ...PARAMS, maxPositionBase: { 'SOL-PERP': parseBase('1') } };
    const r = await runPath(PATH, small);
    const changes = r.engine
      .history()
      .filter(
        (e): e is Extract<HistoryEntry, { kind: 'position' }> =>
          e.kind === 'position' && e.subAccount === SUB,
      );
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect(c.after < 0n ? -c.after : c.after).toBeLessThanOrEqual(parseBase('1'));
  });

  it('trades nothing while halted, and catches up with the target on resume', async () => {
    // Halted from bar 4 to the middle of bar 7: the short signal of bar 5 cannot be traded then.
    const halt = { fromSlot: 4 * SLOTS_PER_BAR, toSlot: 7 * SLOTS_PER_BAR + 75 };
    const r = await runPath(PATH, PARAMS, halt);
    expect(r.signals.map((l) => l.fields.signal)).toEqual(['enter-short', 'enter-long', 'enter-short']);
    const first = r.accepted[0]!;
    expect(first.slot).toBe(halt.toSlot + 1); // the first price after the resume
    expect(first.order.side).toBe('sell');
    expect(first.order.baseAmount).toBe(parseBase((r.signals[0]!.fields.target as string).slice(1)));
    expect(r.orderBars.slice(1)).toEqual(['9:buy', '14:sell']);
    expect(r.bot.counters().outcomes.halted).toBeGreaterThan(0);
  });
});
