/**
 * Sub-account ledger: collateral, positions (signed base and cost basis), realized PnL, and the
 * margin arithmetic. Conventions:
 * - `quoteEntryAmount` has the sign of the position (long 2 SOL bought at 150 -> +300 USDC);
 *   entry price = quoteEntry / base; unrealized PnL = value at the oracle - quoteEntry.
 * - A position's `realizedPnl` is its net cash effect: closed trading PnL, minus fees, plus funding.
 *   Collateral moves by exactly the same amounts.
 * - Margin requirements round up (`ceil`): the venue is never lenient by a unit.
 */
import {
  absBig,
  applyBps,
  BASE_PRECISION,
  BPS,
  divRound,
  type MarketSpec,
  minBig,
  type Position,
  quoteValue,
  type Side,
} from '@drift/domain';

export interface PositionState {
  market: string;
  base: bigint;
  quoteEntry: bigint;
  realizedPnl: bigint;
}

export interface SubAccountState {
  subAccount: number;
  collateral: bigint;
  positions: Map<string, PositionState>;
}

/** What a fill did to a position: the realized trading PnL (before fees). */
export interface PositionChange {
  before: bigint;
  after: bigint;
  realized: bigint;
}

export class Ledger {
  private readonly accounts = new Map<number, SubAccountState>();

  constructor(private readonly defaultCollateral: bigint) {}

  ids(): number[] {
    return [...this.accounts.keys()].sort((a, b) => a - b);
  }

  has(subAccount: number): boolean {
    return this.accounts.has(subAccount);
  }

  /** The sub-account, created with the default collateral on first use. */
  get(subAccount: number): SubAccountState {
    let account = this.accounts.get(subAccount);
    if (!account) {
      account = { subAccount, collateral: this.defaultCollateral, positions: new Map() };
      this.accounts.set(subAccount, account);
    }
    return account;
  }

  /** The sub-account as it is, or as it would start, without creating it (reads never add one). */
  peek(subAccount: number): SubAccountState {
    return (
      this.accounts.get(subAccount) ?? {
        subAccount,
        collateral: this.defaultCollateral,
        positions: new Map(),
      }
    );
  }

  open(subAccount: number, collateral: bigint): void {
    this.accounts.set(subAccount, { subAccount, collateral, positions: new Map() });
  }

  position(subAccount: number, market: string): PositionState {
    const account = this.get(subAccount);
    let position = account.positions.get(market);
    if (!position) {
      position = { market, base: 0n, quoteEntry: 0n, realizedPnl: 0n };
      account.positions.set(market, position);
    }
    return position;
  }

  /** Signed base of a position without creating it. */
  baseOf(subAccount: number, market: string): bigint {
    return this.accounts.get(subAccount)?.positions.get(market)?.base ?? 0n;
  }

  /** Applies one fill: moves the position, realizes PnL on the closed part, charges the fee. */
  applyFill(
    subAccount: number,
    market: string,
    side: Side,
    price: bigint,
    base: bigint,
    fee: bigint,
  ): PositionChange {
    const account = this.get(subAccount);
    const position = this.position(subAccount, market);
    const before = position.base;
    const delta = side === 'buy' ? base : -base;
    const quote = quoteValue(price, base);
    let realized = 0n;
    if (position.base === 0n || position.base > 0n === delta > 0n) {
      position.base += delta;
      position.quoteEntry += delta > 0n ? quote : -quote;
    } else {
      const size = absBig(position.base);
      const closing = minBig(absBig(delta), size);
      const closedEntry = divRound(position.quoteEntry * closing, size, 'trunc');
      const closedValue = quoteValue(price, closing);
      realized = (position.base > 0n ? closedValue : -closedValue) - closedEntry;
      position.quoteEntry -= closedEntry;
      position.base += delta > 0n ? closing : -closing;
      const opening = absBig(delta) - closing;
      if (opening > 0n) {
        const openQuote = quote - closedValue;
        position.base += delta > 0n ? opening : -opening;
        position.quoteEntry = delta > 0n ? openQuote : -openQuote;
      }
      if (position.base === 0n) position.quoteEntry = 0n;
    }
    position.realizedPnl += realized - fee;
    account.collateral += realized - fee;
    return { before, after: position.base, realized };
  }

  /** Credits (or debits, when negative) funding to a position. */
  applyFunding(subAccount: number, market: string, amount: bigint): void {
    const position = this.position(subAccount, market);
    position.realizedPnl += amount;
    this.get(subAccount).collateral += amount;
  }

  /** Every (sub-account, position) with open size in `market`. */
  *openPositions(market: string): Generator<[number, PositionState]> {
    for (const account of this.accounts.values()) {
      const position = account.positions.get(market);
      if (position && position.base !== 0n) yield [account.subAccount, position];
    }
  }
}

export function entryPrice(position: PositionState): bigint {
  if (position.base === 0n) return 0n;
  return divRound(position.quoteEntry * BASE_PRECISION, position.base, 'half-even');
}

export function unrealizedPnl(position: PositionState, oracle: bigint): bigint {
  if (position.base === 0n) return 0n;
  const value = divRound(oracle * position.base, BASE_PRECISION, 'trunc');
  return value - position.quoteEntry;
}

export function toPosition(subAccount: number, position: PositionState, oracle: bigint): Position {
  return {
    subAccount,
    market: position.market,
    baseAmount: position.base,
    quoteEntryAmount: position.quoteEntry,
    entryPrice: entryPrice(position),
    realizedPnl: position.realizedPnl,
    unrealizedPnl: unrealizedPnl(position, oracle),
  };
}

/**
 * Margin needed to hold `base` (signed or not) at `price` with a ratio of `ratioBps`: Drift's
 * `margin_ratio_initial` / `margin_ratio_maintenance` (MARGIN_PRECISION 1e4 = bps) times the oracle
 * notional. Not modelled: the program's size premium (IMF factor) for very large positions.
 */
export function marginFor(base: bigint, price: bigint, ratioBps: number): bigint {
  return applyBps(quoteValue(price, absBig(base)), ratioBps, 'ceil');
}

/** Leverage in bps (10_000 = 1x); when equity is gone it is reported as the max signed 64-bit value. */
export function leverageBps(grossNotional: bigint, equity: bigint): bigint {
  if (grossNotional === 0n) return 0n;
  if (equity <= 0n) return 2n ** 63n - 1n;
  return divRound(grossNotional * BPS, equity, 'ceil');
}

export type MarginRatio = keyof Pick<MarketSpec, 'initialMarginBps' | 'maintenanceMarginBps'>;
