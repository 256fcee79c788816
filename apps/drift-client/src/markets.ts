/**
 * The fleet's market symbols resolved against the SDK's market configs for the chosen env, and
 * each market's spec read from its on-chain PerpMarket account (tick, step, minimum, margins).
 */
import type { MarketSpec } from '@drift/domain';
import { type DriftEnv, type PerpMarketAccount, type PerpMarketConfig, PerpMarkets } from '@drift-labs/sdk';
import { fromBN } from './bn.js';

/** `known`: the markets to resolve in (a local cluster's); default the SDK's for `env`. */
export function perpMarketConfigs(
  env: DriftEnv,
  symbols: readonly string[],
  known: readonly PerpMarketConfig[] = PerpMarkets[env],
): PerpMarketConfig[] {
  return symbols.map((symbol) => {
    const config = known.find((m) => m.symbol === symbol);
    if (!config) {
      throw new RangeError(
        `markets: "${symbol}" is not a Drift ${env} perp market (e.g. ${known
          .slice(0, 3)
          .map((m) => m.symbol)
          .join(', ')})`,
      );
    }
    return config;
  });
}

/** Drift's margin ratios are in MARGIN_PRECISION (1e4), i.e. basis points already. */
export function specFromAccount(symbol: string, account: PerpMarketAccount): MarketSpec {
  return {
    symbol,
    marketIndex: account.marketIndex,
    tickSize: fromBN(account.amm.orderTickSize),
    stepSize: fromBN(account.amm.orderStepSize),
    minOrderSize: fromBN(account.amm.minOrderSize),
    initialMarginBps: account.marginRatioInitial,
    maintenanceMarginBps: account.marginRatioMaintenance,
  };
}
