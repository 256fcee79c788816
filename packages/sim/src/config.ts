/**
 * The engine's configuration, in engine units (bigints in Drift precisions, integer rates).
 * `fleet-config.ts` builds one from the fleet config's decimal strings.
 */
import { type MarketSpec, parseDecimal, QUOTE_PRECISION, type TakerOrder } from '@drift/domain';
import { type CompetitionConfig, DEFAULT_LANDING_DELAY_MS, DEFAULT_RIVALS } from './competition.js';
import type { FeeTierRates } from './fee-tiers.js';
import type { ReplayPoint } from './oracle.js';

/** Fee rates are millionths of notional (hundredths of a basis point): 350n = 3.5 bps. */
export type FeeRate = bigint;
export const FEE_RATE_PRECISION = 1_000_000n;

/** "3.5" (bps) -> 350n; at most two decimals, negative for a rebate. */
export function feeRateFromBps(bps: string): FeeRate {
  return parseDecimal(bps, 2);
}

export interface SimMarketConfig {
  spec: MarketSpec;
  /** Oracle start price (random walk), PRICE_PRECISION. Ignored with `replay`. */
  startPrice: bigint;
  /** Standard deviation of the one-hour oracle return, bps. */
  volatilityBps?: number;
  /** Expected one-hour oracle return, bps. */
  driftBps?: number;
  /** Recorded oracle points replayed instead of the walk (see parseOracleCsv). */
  replay?: readonly ReplayPoint[];
}

export interface AuctionConfig {
  /** Slots (400 ms) a taker auction lasts. 0 = settle at once. */
  durationSlots: number;
  /** Start price offset from the oracle, bps, signed toward "worse for the taker" (negative = better). */
  startOffsetBps: number;
  /** End price (the taker's limit when none is given) offset from the oracle, bps, toward worse. */
  endOffsetBps: number;
  /** After the auction and the book, a sub-account's market order remainder fills at the end price
   * against the venue's backstop (Drift's AMM); false = it expires. */
  backstop: boolean;
}

export interface FundingConfig {
  /** ms between funding payments (Drift: hourly). */
  intervalMs: number;
  /** `premium`: rate = (mid TWAP - oracle TWAP) / oracle TWAP / 24, capped; `fixed`: `fixedRatePpb`. */
  mode: 'premium' | 'fixed';
  /** Rate per interval in parts per billion of notional (longs pay when > 0). */
  fixedRatePpb: bigint;
  /** Cap on |premium rate| per interval, ppb. */
  capPpb: bigint;
}

export interface TakerFlowConfig {
  /** Signed taker orders generated per market per minute of venue time (0 = none). */
  ordersPerMinute: number;
  /** Notional range of one taker order, QUOTE_PRECISION. */
  minNotional: bigint;
  maxNotional: bigint;
  /** How many distinct taker keys sign the stream. */
  takers: number;
}

export interface SimEngineConfig {
  seed: number;
  markets: SimMarketConfig[];
  /** Venue time of slot 0, ms since epoch (default 2026-01-01T00:00:00Z, so runs replay exactly). */
  startTs?: number;
  /** Venue ms per slot (default 400). */
  slotMs?: number;
  /** Collateral of configured sub-accounts, QUOTE_PRECISION. */
  subAccounts?: Record<number, bigint>;
  /** Collateral a sub-account gets when it first appears without configuration. */
  defaultCollateral?: bigint;
  takerFeeRate?: FeeRate;
  makerFeeRate?: FeeRate;
  /** Drift's fee tiers by 30-day volume (see fee-tiers.ts); unset: the flat rates above for all. */
  feeTiers?: readonly FeeTierRates[];
  /** Each sub-account's 30-day volume at the start, QUOTE_PRECISION (it grows with every fill). */
  volume30d?: Record<number, bigint>;
  auction?: Partial<AuctionConfig>;
  funding?: Partial<FundingConfig>;
  takerFlow?: Partial<TakerFlowConfig>;
  /** Rival makers racing sub-accounts for auctions, and the sub-accounts' landing delay (none if unset). */
  competition?: Partial<CompetitionConfig>;
  /** Slots between oracle updates. */
  oracleIntervalSlots?: number;
  /** Trades kept per market for `recentTrades`. */
  tradesKept?: number;
  /** The slot number at `startTs` (default 0; a replayed recording starts at its own first slot). */
  firstSlot?: number;
  /** Recorded taker orders to replay instead of the random stream, opened at their recorded slots. */
  replayTakers?: readonly TakerOrder[];
  /** Record every order, fill and position change (default true). */
  recordHistory?: boolean;
}

export const DEFAULTS = {
  startTs: Date.UTC(2026, 0, 1),
  /** Solana's slot time. */
  slotMs: 400,
  defaultCollateral: 100_000n * QUOTE_PRECISION,
  takerFeeRate: 350n, // 3.5 bps
  makerFeeRate: -20n, // -0.2 bps rebate
  auction: { durationSlots: 10, startOffsetBps: -2, endOffsetBps: 30, backstop: true },
  funding: { intervalMs: 3_600_000, mode: 'premium', fixedRatePpb: 0n, capPpb: 1_250_000n },
  takerFlow: {
    ordersPerMinute: 0,
    minNotional: 100n * QUOTE_PRECISION,
    maxNotional: 5_000n * QUOTE_PRECISION,
    takers: 8,
  },
  oracleIntervalSlots: 1,
  tradesKept: 500,
  competition: {
    rivals: DEFAULT_RIVALS as CompetitionConfig['rivals'],
    landingDelayMs: DEFAULT_LANDING_DELAY_MS,
  },
} as const satisfies Record<string, unknown>;
