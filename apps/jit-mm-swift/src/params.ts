/**
 * `apps.jit-mm-swift.params` in drift-bots.yaml: parsed with @drift/config's `parseAppParams`, so a bad
 * value reads `apps.jit-mm-swift.params.edgeBps: -5 is not a number of basis points >= 0`.
 */
import {
  baseField,
  bpsField,
  type FleetConfig,
  intField,
  marketField,
  msField,
  parseAppParams,
  perMarket,
} from '@drift/config';
import { z } from 'zod';
import type { QuoteParams } from './decide.js';

/** Whole basis points: the strategy's bigint arithmetic has no fractional bps. */
const wholeBps = () =>
  bpsField(0).refine((v) => Number.isInteger(v), { error: 'is not a whole number of basis points' });

export const jitParamsSchema = z
  .strictObject({
    /** Markets to make; each needs a maxOrderBase and a maxPositionBase. */
    markets: z.array(marketField()).min(1, { error: 'lists no market' }),
    /** Edge over the oracle kept on every fill, bps. */
    edgeBps: wholeBps(),
    /** Largest single fill per market (decimal base amount). */
    maxOrderBase: perMarket(baseField()),
    /** Largest |position| per market (decimal base amount, > 0). */
    maxPositionBase: perMarket(baseField()),
    /** Extra edge at full inventory on the side that grows the position, bps. */
    inventorySkewBps: wholeBps().default(0),
    /** Stop filling while the oracle's range over `volWindowMs` exceeds this, bps. */
    volGuardBps: wholeBps(),
    /** Window of the volatility guard, ms (default one minute). */
    volWindowMs: msField().default(60_000),
    /** Fill only with at least this many auction slots left. */
    minTimeLeftSlots: intField(0).default(1),
    /**
     * Paper mode's ed25519 check of each taker order: on the main thread, or on libuv's threadpool
     * while the maker decides (the fill still waits for it). Measured slower on 2 cores (README).
     */
    verifyOn: z.enum(['main-thread', 'threadpool']).default('main-thread'),
  })
  .superRefine((p, ctx) => {
    for (const market of p.markets) {
      for (const key of ['maxOrderBase', 'maxPositionBase'] as const) {
        if (p[key][market] === undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: `has no entry for ${market}` });
      }
    }
  });

/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = jitParamsSchema;

export type JitParams = z.output<typeof jitParamsSchema>;

export function loadJitParams(config: FleetConfig): JitParams {
  return parseAppParams(config, 'jit-mm-swift', jitParamsSchema);
}

/** decide.ts's parameters for one market (the schema guarantees the per-market entries). */
export function quoteParamsFor(params: JitParams, market: string): QuoteParams {
  return {
    edgeBps: params.edgeBps,
    inventorySkewBps: params.inventorySkewBps,
    maxOrderBase: params.maxOrderBase[market] ?? 0n,
    maxPositionBase: params.maxPositionBase[market] ?? 0n,
    minTimeLeftSlots: params.minTimeLeftSlots,
  };
}
