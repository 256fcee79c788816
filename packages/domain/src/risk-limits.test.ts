import { describe, expect, it } from 'vitest';
import { parseBase, parsePrice, parseQuote, quoteValue } from './precision.js';
import {
  checkOrder,
  evaluateRisk,
  type LimitSet,
  type RiskSnapshot,
  reducesExposure,
} from './risk-limits.js';
import type { AccountState } from './trading.js';

const NOW = 1_700_000_000_000;
const SOL = parsePrice('100');

const limits: LimitSet = {
  maxPositionBase: { 'SOL-PERP': parseBase('10') },
  maxGrossNotional: parseQuote('3000'),
  maxLeverageBps: 30_000n, // 3x
  dailyLossLimit: parseQuote('500'),
  staleOracleMs: 5_000,
  maxOrdersPerMinute: 60,
};

/** A sub-account holding `base` SOL at the oracle price, with `equity` USDC. */
function account(subAccount: number, base: string, equity: string): AccountState {
  const baseAmount = parseBase(base);
  const gross = quoteValue(SOL, baseAmount < 0n ? -baseAmount : baseAmount);
  const eq = parseQuote(equity);
  return {
    subAccount,
    collateral: eq,
    unrealizedPnl: 0n,
    equity: eq,
    grossNotional: gross,
    initialMarginRequirement: 0n,
    maintenanceMarginRequirement: 0n,
    freeMargin: eq,
    leverageBps: eq > 0n ? (gross * 10_000n) / eq : 0n,
    positions:
      baseAmount === 0n
        ? []
        : [
            {
              subAccount,
              market: 'SOL-PERP',
              baseAmount,
              quoteEntryAmount: 0n,
              entryPrice: 0n,
              realizedPnl: 0n,
              unrealizedPnl: 0n,
            },
          ],
  };
}

function snapshot(over: Partial<RiskSnapshot> = {}): RiskSnapshot {
  return {
    now: NOW,
    accounts: [account(1, '5', '1000'), account(2, '-5', '1000')],
    oracles: { 'SOL-PERP': { market: 'SOL-PERP', price: SOL, ts: NOW - 1_000, slot: 1 } },
    dayStartEquity: parseQuote('2000'),
    ordersLastMinute: { 1: 10, 2: 10 },
    ...over,
  };
}

describe('evaluateRisk: each limit trips just over it and stays quiet at it', () => {
  it('a clean fleet is active', () => {
    expect(evaluateRisk(limits, snapshot())).toEqual({ state: 'active', breaches: [] });
  });

  it('position per market per sub-account', () => {
    const at = evaluateRisk(limits, snapshot({ accounts: [account(1, '10', '2000')] }));
    expect(at.breaches).toEqual([]);
    const over = evaluateRisk(limits, snapshot({ accounts: [account(1, '-10.000000001', '2000')] }));
    expect(over.state).toBe('reducing');
    expect(over.breaches).toEqual([
      {
        limit: 'position',
        severity: 'reducing',
        market: 'SOL-PERP',
        subAccount: 1,
        value: 10_000_000_001n,
        max: 10_000_000_000n,
        message: 'sub-account 1 SOL-PERP position -10.000000001 exceeds max 10',
      },
    ]);
  });

  it('a position in a market without a limit is a breach', () => {
    const acc = account(1, '0', '2000');
    acc.positions = [{ ...account(1, '1', '1000').positions[0]!, market: 'ETH-PERP' }];
    const v = evaluateRisk(
      limits,
      snapshot({
        accounts: [acc],
        oracles: { ...snapshot().oracles, 'ETH-PERP': { market: 'ETH-PERP', price: 1n, ts: NOW, slot: 1 } },
      }),
    );
    expect(v.breaches.map((b) => b.message)).toEqual([
      'sub-account 1 ETH-PERP position 1 exceeds max 0 (no limit configured for this market)',
    ]);
  });

  it('fleet gross notional', () => {
    // 3 x 10 SOL at 100 = 3000 USDC: at the limit; equity keeps leverage at 1x.
    const at = [account(1, '10', '1000'), account(2, '-10', '1000'), account(3, '10', '1000')];
    expect(evaluateRisk(limits, snapshot({ accounts: at })).breaches).toEqual([]);
    const over = [...at, account(4, '0.00000001', '1000')];
    expect(
      evaluateRisk(limits, snapshot({ accounts: over, dayStartEquity: parseQuote('4000') })).breaches,
    ).toMatchObject([
      {
        limit: 'grossNotional',
        severity: 'reducing',
        value: parseQuote('3000.000001'),
        max: parseQuote('3000'),
      },
    ]);
  });

  it('leverage per sub-account, and any exposure on no equity', () => {
    // 10 SOL = 1000 notional on 333.333334 equity: just under 3x; on 333.333333: just over -> breach.
    expect(
      evaluateRisk(limits, snapshot({ accounts: [account(1, '10', '333.333334')], dayStartEquity: 0n }))
        .breaches,
    ).toEqual([]);
    const over = evaluateRisk(
      limits,
      snapshot({ accounts: [account(1, '10', '333.333333')], dayStartEquity: 0n }),
    );
    expect(over.breaches).toMatchObject([{ limit: 'leverage', subAccount: 1, value: 30_001n, max: 30_000n }]);
    expect(over.breaches[0]?.message).toBe('sub-account 1 leverage 3.0001x exceeds max 3x');
    const broke = evaluateRisk(limits, snapshot({ accounts: [account(1, '1', '0')], dayStartEquity: 0n }));
    expect(broke.breaches[0]?.message).toBe('sub-account 1 holds 100 notional on equity 0');
  });

  it('daily loss from the day start equity halts', () => {
    const at = snapshot({ accounts: [account(1, '0', '1500')] }); // lost exactly 500
    expect(evaluateRisk(limits, at).breaches).toEqual([]);
    const over = evaluateRisk(limits, snapshot({ accounts: [account(1, '0', '1499.999999')] }));
    expect(over.state).toBe('halted');
    expect(over.breaches).toEqual([
      {
        limit: 'dailyLoss',
        severity: 'halted',
        value: parseQuote('500.000001'),
        max: parseQuote('500'),
        message: 'fleet lost 500.000001 today (equity 1499.999999 from 2000), limit 500',
      },
    ]);
  });

  it('stale or missing oracle', () => {
    const oracle = (ageMs: number) => ({
      'SOL-PERP': { market: 'SOL-PERP', price: SOL, ts: NOW - ageMs, slot: 1 },
    });
    expect(evaluateRisk(limits, snapshot({ oracles: oracle(5_000) })).breaches).toEqual([]);
    expect(evaluateRisk(limits, snapshot({ oracles: oracle(5_001) })).breaches).toMatchObject([
      {
        limit: 'staleOracle',
        market: 'SOL-PERP',
        value: 5_001n,
        max: 5_000n,
        message: 'SOL-PERP oracle is 5001 ms old (max 5000 ms)',
      },
    ]);
    expect(evaluateRisk(limits, snapshot({ oracles: {} })).breaches).toEqual([
      {
        limit: 'staleOracle',
        severity: 'reducing',
        market: 'SOL-PERP',
        max: 5_000n,
        message: 'SOL-PERP has no oracle price',
      },
    ]);
  });

  it('order rate per sub-account halts', () => {
    expect(evaluateRisk(limits, snapshot({ ordersLastMinute: { 1: 60 } })).breaches).toEqual([]);
    const over = evaluateRisk(limits, snapshot({ ordersLastMinute: { 1: 61 } }));
    expect(over.state).toBe('halted');
    expect(over.breaches[0]?.message).toBe('sub-account 1 placed 61 orders in the last minute (max 60)');
  });

  it('the worst breach sets the state; onBreach changes severities', () => {
    const s = snapshot({ accounts: [account(1, '11', '1500')], ordersLastMinute: {} });
    expect(evaluateRisk(limits, s).state).toBe('reducing');
    expect(evaluateRisk({ ...limits, onBreach: { position: 'halted' } }, s).state).toBe('halted');
  });
});

describe('checkOrder: the pre-trade hook', () => {
  const buy = (base: string, subAccount = 1) => ({
    market: 'SOL-PERP',
    side: 'buy' as const,
    baseAmount: parseBase(base),
    subAccount,
  });
  const sell = (base: string, subAccount = 1) => ({ ...buy(base, subAccount), side: 'sell' as const });

  it('halted: nothing passes, not even a reducing order', () => {
    expect(checkOrder(limits, 'halted', sell('1'), snapshot())).toEqual({
      ok: false,
      reason: 'halted',
      message: 'trading is halted: no orders',
    });
  });

  it('reducing: only orders that shrink the position without flipping it', () => {
    const s = snapshot(); // sub-account 1 is long 5
    expect(checkOrder(limits, 'reducing', sell('5'), s)).toEqual({ ok: true });
    expect(checkOrder(limits, 'reducing', sell('5.000000001'), s)).toMatchObject({
      ok: false,
      reason: 'risk-limit',
    });
    expect(checkOrder(limits, 'reducing', buy('0.1'), s)).toMatchObject({
      ok: false,
      message: 'trading is reducing: only orders that reduce exposure pass (position 5)',
    });
    expect(checkOrder(limits, 'reducing', buy('1', 2), s)).toEqual({ ok: true }); // sub-account 2 is short
  });

  it('active: an order that would take the position over its limit is rejected, one at the limit passes', () => {
    const s = snapshot();
    expect(checkOrder(limits, 'active', buy('5'), s)).toEqual({ ok: true });
    expect(checkOrder(limits, 'active', buy('5.01'), s)).toEqual({
      ok: false,
      reason: 'risk-limit',
      message: 'order would breach: sub-account 1 SOL-PERP position 10.01 exceeds max 10',
    });
  });

  it('active: gross notional and leverage after the fill', () => {
    const s = snapshot({
      accounts: [account(1, '5', '1000'), account(2, '-9', '1000'), account(3, '-9', '1000')],
      dayStartEquity: 0n,
    });
    // Fleet gross 2300; +7 SOL -> 3000 (at the limit), +7.01 -> over.
    const wide = { ...limits, maxPositionBase: { 'SOL-PERP': parseBase('100') } };
    expect(checkOrder(wide, 'active', buy('7'), s)).toEqual({ ok: true });
    expect(checkOrder(wide, 'active', buy('7.01'), s)).toMatchObject({
      ok: false,
      message: 'order would breach: fleet gross notional 3001 exceeds max 3000',
    });
    const thin = snapshot({ accounts: [account(1, '0', '300')], dayStartEquity: 0n });
    expect(checkOrder(limits, 'active', buy('9'), thin)).toEqual({ ok: true }); // 900 on 300 = 3x
    expect(checkOrder(limits, 'active', buy('9.01'), thin)).toMatchObject({
      ok: false,
      message: 'order would breach: sub-account 1 leverage 3.0034x exceeds max 3x',
    });
  });

  it('active: a stale oracle blocks new exposure but not reductions', () => {
    const s = snapshot({
      oracles: { 'SOL-PERP': { market: 'SOL-PERP', price: SOL, ts: NOW - 6_000, slot: 1 } },
    });
    expect(checkOrder(limits, 'active', buy('1'), s)).toMatchObject({
      ok: false,
      message: 'order would breach: SOL-PERP oracle is 6000 ms old (max 5000 ms)',
    });
    expect(checkOrder(limits, 'active', sell('1'), s)).toEqual({ ok: true });
  });

  it('order rate applies in every state', () => {
    const s = snapshot({ ordersLastMinute: { 1: 59 } });
    expect(checkOrder(limits, 'active', buy('1'), s)).toEqual({ ok: true });
    expect(checkOrder(limits, 'reducing', sell('1'), snapshot({ ordersLastMinute: { 1: 60 } }))).toEqual({
      ok: false,
      reason: 'rate-limited',
      message: 'sub-account 1 placed 60 orders in the last minute (max 60)',
    });
  });

  it('an order for a sub-account with no account state fails closed', () => {
    expect(checkOrder(limits, 'active', buy('1', 9), snapshot())).toMatchObject({
      ok: false,
      reason: 'risk-limit',
    });
  });

  it('reducesExposure', () => {
    expect(reducesExposure(parseBase('2'), { side: 'sell', baseAmount: parseBase('2') })).toBe(true);
    expect(reducesExposure(parseBase('-2'), { side: 'buy', baseAmount: parseBase('1') })).toBe(true);
    expect(reducesExposure(0n, { side: 'sell', baseAmount: 1n })).toBe(false);
    expect(reducesExposure(parseBase('2'), { side: 'buy', baseAmount: 1n })).toBe(false);
    // Reduce-only: the venue caps it at the position, so a larger size still only reduces...
    expect(
      reducesExposure(parseBase('2'), { side: 'sell', baseAmount: parseBase('3'), reduceOnly: true }),
    ).toBe(true);
    // ...but the flag does not make a same-side order or one on a flat position reducing.
    expect(reducesExposure(parseBase('2'), { side: 'buy', baseAmount: 1n, reduceOnly: true })).toBe(false);
    expect(reducesExposure(0n, { side: 'sell', baseAmount: 1n, reduceOnly: true })).toBe(false);
  });
});
