/**
 * `apps.hedge-bot.params` in drift-bots.yaml, parsed with @drift/config's `parseAppParams` so errors read
 * `apps.hedge-bot.params.maxSlippageBps: -1 is not a number of basis points >= 0`.
 */
import {
  baseField,
  bpsField,
  type FleetConfig,
  msField,
  parseAppParams,
  perMarket,
  subAccountField,
} from '@drift/config';
import { z } from 'zod';
import type { HedgeParams } from './plan.js';

/** Whole basis points: the strategy's bigint arithmetic has no fractional bps. */
const wholeBps = () =>
  bpsField(0).refine((v) => Number.isInteger(v), { error: 'is not a whole number of basis points' });

export const hedgeParamsSchema = z
  .strictObject({
    /** Sub-accounts whose positions are netted with the bot's own (the market maker's...). */
    watchSubAccounts: z.array(subAccountField()).min(1, { error: 'lists no sub-account' }),
    /** Per market: net exposure tolerated without hedging (decimal base, >= 0). The markets hedged. */
    bandBase: perMarket(baseField('non-negative')),
    /** Per market: largest hedge order (decimal base, > 0); every banded market needs one. */
    maxOrderBase: perMarket(baseField()),
    /** Worst price accepted, bps from the oracle. */
    maxSlippageBps: wholeBps(),
    /** Minimum time between two hedges in one market, ms. */
    cooldownMs: msField(),
    /** How often positions are read, ms. */
    pollIntervalMs: msField().default(1_000),
    /**
     * `market`: a market order capped at the slippage price (Drift's auction, then the AMM);
     * `limit`: an IOC limit order at that price (fills only against resting orders).
     */
    orderType: z.enum(['market', 'limit'], { error: 'is not market|limit' }).default('market'),
  })
  .superRefine((p, ctx) => {
    const markets = Object.keys(p.bandBase);
    if (markets.length === 0)
      ctx.addIssue({ code: 'custom', path: ['bandBase'], message: 'lists no market' });
    for (const market of markets) {
      if (p.maxOrderBase[market] === undefined)
        ctx.addIssue({ code: 'custom', path: ['maxOrderBase'], message: `has no entry for ${market}` });
    }
  });

/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = hedgeParamsSchema;

export type HedgeBotParams = z.output<typeof hedgeParamsSchema>;

export function loadHedgeParams(config: FleetConfig): HedgeBotParams {
  return parseAppParams(config, 'hedge-bot', hedgeParamsSchema);
}

/** The hedged markets: the ones with a band. */
export const hedgedMarkets = (params: HedgeBotParams): string[] => Object.keys(params.bandBase);

/** plan.ts's parameters for one market (the schema guarantees the entries). */
export function planParamsFor(params: HedgeBotParams, market: string): HedgeParams {
  return {
    bandBase: params.bandBase[market] ?? 0n,
    maxOrderBase: params.maxOrderBase[market] ?? 0n,
    maxSlippageBps: params.maxSlippageBps,
    cooldownMs: params.cooldownMs,
  };
}
