/**
 * `apps.trend-bot.params` in drift-bots.yaml, parsed with @drift/config's `parseAppParams` so errors read
 * `apps.trend-bot.params.signal.fastPeriod: 0 is not an integer >= 1`.
 */
import {
  baseField,
  bpsField,
  decimalField,
  type FleetConfig,
  intField,
  marketField,
  parseAppParams,
  perMarket,
} from '@drift/config';
import { applyBps } from '@drift/domain';
import { z } from 'zod';
import type { TrendParams } from './rule.js';

/** Whole basis points: the strategy's bigint arithmetic has no fractional bps. */
const wholeBps = () =>
  bpsField(0).refine((v) => Number.isInteger(v), { error: 'is not a whole number of basis points' });

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `30s`, `1m`, `4h` -> ms. */
const timeframeField = () =>
  z
    .string({ error: 'is not a timeframe like "1m"' })
    .regex(/^[1-9]\d*[smh]$/, { error: 'is not a timeframe like "30s", "1m" or "4h"' })
    .transform((t) => Number(t.slice(0, -1)) * UNIT_MS[t.at(-1) as keyof typeof UNIT_MS]);

export const trendParamsSchema = z
  .strictObject({
    markets: z.array(marketField()).min(1, { error: 'lists no market' }),
    /** Candle length. */
    timeframe: timeframeField(),
    signal: z.discriminatedUnion(
      'type',
      [
        z.strictObject({ type: z.literal('ema-cross'), fastPeriod: intField(1), slowPeriod: intField(2) }),
        z.strictObject({ type: z.literal('donchian'), period: intField(1) }),
      ],
      { error: 'is not a signal: { type: ema-cross, fastPeriod, slowPeriod } or { type: donchian, period }' },
    ),
    atrPeriod: intField(1),
    /** Equity lost if the stop is hit, bps of the sub-account's equity at start. */
    riskPerTradeBps: wholeBps(),
    /** Stop distance in ATRs, one decimal ("2.5"). */
    stopAtr: decimalField(1, { min: 'positive', what: 'ATR multiple' }),
    /** Largest |position| per market (decimal base, > 0); every market needs one. */
    maxPositionBase: perMarket(baseField()),
    /** Worst price accepted when trading toward the target, bps from the oracle. */
    maxSlippageBps: wholeBps().default(50),
    /** `market`: market order capped at the slippage price; `limit`: IOC limit at that price. */
    orderType: z.enum(['market', 'limit'], { error: 'is not market|limit' }).default('market'),
  })
  .superRefine((p, ctx) => {
    if (p.signal.type === 'ema-cross' && p.signal.fastPeriod >= p.signal.slowPeriod)
      ctx.addIssue({
        code: 'custom',
        path: ['signal', 'fastPeriod'],
        message: 'is not below signal.slowPeriod',
      });
    for (const market of p.markets) {
      if (p.maxPositionBase[market] === undefined)
        ctx.addIssue({ code: 'custom', path: ['maxPositionBase'], message: `has no entry for ${market}` });
    }
  });

/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = trendParamsSchema;

export type TrendBotParams = z.output<typeof trendParamsSchema>;

export function loadTrendParams(config: FleetConfig): TrendBotParams {
  return parseAppParams(config, 'trend-bot', trendParamsSchema);
}

/** rule.ts's parameters for one market, with the risk budget taken from `equity` (QUOTE_PRECISION). */
export function ruleParamsFor(params: TrendBotParams, market: string, equity: bigint): TrendParams {
  return {
    signal: params.signal,
    atrPeriod: params.atrPeriod,
    stopAtrTenths: Number(params.stopAtr),
    riskQuote: applyBps(equity > 0n ? equity : 0n, params.riskPerTradeBps, 'floor'),
    maxPositionBase: params.maxPositionBase[market] ?? 0n,
  };
}
