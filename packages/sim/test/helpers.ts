import { findMarket, type MarketSpec, parseBase, parsePrice, parseQuote } from '@drift/domain';
import type { SimEngineConfig } from '../src/config.js';
import { SimEngine } from '../src/engine.js';

export const SOL = findMarket('SOL-PERP')!;
export const BTC = findMarket('BTC-PERP')!;
export const px = (text: string) => parsePrice(text);
export const base = (text: string) => parseBase(text);
export const usd = (text: string) => parseQuote(text);

/** A flat-oracle engine (no volatility) with fees off unless given: hand arithmetic stays simple. */
export function flatEngine(
  overrides: Partial<SimEngineConfig> = {},
  spec: MarketSpec = SOL,
  price = '150',
): SimEngine {
  return new SimEngine({
    seed: 1,
    markets: [{ spec, startPrice: px(price), volatilityBps: 0 }],
    takerFeeRate: 0n,
    makerFeeRate: 0n,
    ...overrides,
  });
}
