import { join } from 'node:path';
import { ConfigError, type FleetConfig, loadFleetConfig } from '@drift/config';
import { parseBase, parseQuote } from '@drift/domain';
import { findWorkspaceRoot } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import { loadTrendParams, ruleParamsFor } from './params.js';

const example = loadFleetConfig({ path: join(findWorkspaceRoot()!, 'drift-bots.yaml'), env: {} });

function withParams(patch: Record<string, unknown>): FleetConfig {
  const app = example.apps['trend-bot']!;
  return {
    ...example,
    apps: { ...example.apps, 'trend-bot': { ...app, params: { ...(app.params as object), ...patch } } },
  };
}

function problems(config: FleetConfig): string[] {
  try {
    loadTrendParams(config);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('trend-bot params', () => {
  it('reads the example config and turns it into the rule parameters', () => {
    const p = loadTrendParams(example);
    expect(p).toMatchObject({ markets: ['SOL-PERP'], timeframe: 60_000, atrPeriod: 14, riskPerTradeBps: 50 });
    expect(ruleParamsFor(p, 'SOL-PERP', parseQuote('25000'))).toEqual({
      signal: { type: 'ema-cross', fastPeriod: 12, slowPeriod: 48 },
      atrPeriod: 14,
      stopAtrTenths: 25,
      riskQuote: parseQuote('125'),
      maxPositionBase: parseBase('100'),
    });
  });

  it('names the field and the value of every bad parameter', () => {
    expect(problems(withParams({ maxPositionBase: { 'SOL-PERP': '0' } }))).toEqual([
      'apps.trend-bot.params.maxPositionBase.SOL-PERP: "0" is not a positive base amount',
    ]);
    expect(problems(withParams({ markets: ['DOGE-PERP'] }))[0]).toMatch(
      /^apps\.trend-bot\.params\.markets\.0: "DOGE-PERP" is not a known market/,
    );
    expect(problems(withParams({ markets: ['BTC-PERP'] }))).toEqual([
      'apps.trend-bot.params.maxPositionBase: {"SOL-PERP":"100"} has no entry for BTC-PERP',
    ]);
    expect(problems(withParams({ timeframe: '1 minute' }))).toEqual([
      'apps.trend-bot.params.timeframe: "1 minute" is not a timeframe like "30s", "1m" or "4h"',
    ]);
    expect(problems(withParams({ signal: { type: 'ema-cross', fastPeriod: 50, slowPeriod: 48 } }))).toEqual([
      'apps.trend-bot.params.signal.fastPeriod: 50 is not below signal.slowPeriod',
    ]);
    expect(problems(withParams({ signal: { type: 'macd' } }))).toEqual([
      'apps.trend-bot.params.signal.type: "macd" is not a signal: { type: ema-cross, fastPeriod, slowPeriod } or { type: donchian, period }',
    ]);
    expect(problems(withParams({ signal: { type: 'donchian', period: 0 } }))).toEqual([
      'apps.trend-bot.params.signal.period: 0 is not an integer >= 1',
    ]);
    expect(loadTrendParams(withParams({ signal: { type: 'donchian', period: 20 } })).signal).toEqual({
      type: 'donchian',
      period: 20,
    });
    expect(problems(withParams({ stopAtr: '-1' }))).toEqual([
      'apps.trend-bot.params.stopAtr: "-1" is not a positive ATR multiple',
    ]);
    expect(problems(withParams({ riskPerTradeBps: -5 }))).toEqual([
      'apps.trend-bot.params.riskPerTradeBps: -5 is not a number of basis points >= 0',
    ]);
  });
});
