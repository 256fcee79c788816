/**
 * Perp markets the fleet knows, by symbol and Drift market index. Sizes and prices are in Drift's
 * fixed-point units (see precision.ts): tick and step are what the venue enforces on orders.
 */
export interface MarketSpec {
  /** `SOL-PERP` */
  symbol: string;
  /** Drift perp market index (SOL-PERP = 0). */
  marketIndex: number;
  /** Smallest price increment, PRICE_PRECISION units. */
  tickSize: bigint;
  /** Smallest size increment, BASE_PRECISION units. */
  stepSize: bigint;
  /** Smallest order size, BASE_PRECISION units. */
  minOrderSize: bigint;
  /** Initial margin ratio in basis points of notional (1000 = 10%, i.e. 10x max leverage). */
  initialMarginBps: number;
  /** Maintenance margin ratio in basis points of notional. */
  maintenanceMarginBps: number;
}

/** Drift mainnet-beta perp markets used by the fleet (index, tick and step as Drift lists them). */
export const MARKETS: readonly MarketSpec[] = [
  {
    symbol: 'SOL-PERP',
    marketIndex: 0,
    tickSize: 100n,
    stepSize: 10_000_000n,
    minOrderSize: 10_000_000n,
    initialMarginBps: 1000,
    maintenanceMarginBps: 500,
  },
  {
    symbol: 'BTC-PERP',
    marketIndex: 1,
    tickSize: 1_000n,
    stepSize: 100_000n,
    minOrderSize: 100_000n,
    initialMarginBps: 1000,
    maintenanceMarginBps: 500,
  },
  {
    symbol: 'ETH-PERP',
    marketIndex: 2,
    tickSize: 100n,
    stepSize: 1_000_000n,
    minOrderSize: 1_000_000n,
    initialMarginBps: 1000,
    maintenanceMarginBps: 500,
  },
];

export function findMarket(symbolOrIndex: string | number): MarketSpec | undefined {
  return MARKETS.find((m) => m.symbol === symbolOrIndex || m.marketIndex === symbolOrIndex);
}
