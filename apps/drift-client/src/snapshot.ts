/**
 * What `drift-client` prints about a venue: the account and each configured market, as log fields
 * with human decimals (formatted by @drift/domain's precision module; bigints do not survive JSON).
 */
import {
  type AccountState,
  formatBase,
  formatPrice,
  formatQuote,
  type OraclePrice,
  type Position,
  type Venue,
} from '@drift/domain';

export interface MarketSnapshot {
  market: string;
  marketIndex: number;
  oracle: string;
  oracleSlot: number;
  bid?: string;
  ask?: string;
  tickSize: string;
  stepSize: string;
  minOrderSize: string;
  initialMarginBps: number;
}

export interface AccountSnapshot {
  subAccount: number;
  collateral: string;
  equity: string;
  unrealizedPnl: string;
  freeMargin: string;
  grossNotional: string;
  leverage: string;
  openOrders: number;
  positions: PositionSnapshot[];
}

export interface PositionSnapshot {
  market: string;
  base: string;
  entryPrice: string;
  unrealizedPnl: string;
  realizedPnl: string;
}

export async function marketSnapshots(venue: Venue): Promise<MarketSnapshot[]> {
  return Promise.all(
    venue.markets().map(async (spec) => {
      const [oracle, book] = await Promise.all([
        venue.getOraclePrice(spec.symbol),
        venue.getTopOfBook(spec.symbol),
      ]);
      return {
        market: spec.symbol,
        marketIndex: spec.marketIndex,
        oracle: formatPrice(oracle.price),
        oracleSlot: oracle.slot,
        ...(book.bestBid && { bid: formatPrice(book.bestBid.price) }),
        ...(book.bestAsk && { ask: formatPrice(book.bestAsk.price) }),
        tickSize: formatPrice(spec.tickSize),
        stepSize: formatBase(spec.stepSize),
        minOrderSize: formatBase(spec.minOrderSize),
        initialMarginBps: spec.initialMarginBps,
      };
    }),
  );
}

export async function accountSnapshot(venue: Venue, subAccount = venue.subAccount): Promise<AccountSnapshot> {
  const [account, orders] = await Promise.all([
    venue.getAccount(subAccount),
    venue.getOpenOrders({ subAccount }),
  ]);
  return describeAccount(account, orders.length);
}

export function describeAccount(account: AccountState, openOrders: number): AccountSnapshot {
  return {
    subAccount: account.subAccount,
    collateral: formatQuote(account.collateral),
    equity: formatQuote(account.equity),
    unrealizedPnl: formatQuote(account.unrealizedPnl),
    freeMargin: formatQuote(account.freeMargin),
    grossNotional: formatQuote(account.grossNotional),
    leverage: `${formatDecimalBps(account.leverageBps)}x`,
    openOrders,
    positions: account.positions.map(describePosition),
  };
}

export function describePosition(p: Position): PositionSnapshot {
  return {
    market: p.market,
    base: formatBase(p.baseAmount),
    entryPrice: formatPrice(p.entryPrice),
    unrealizedPnl: formatQuote(p.unrealizedPnl),
    realizedPnl: formatQuote(p.realizedPnl),
  };
}

export function describeOracle(o: OraclePrice): { market: string; price: string; slot: number } {
  return { market: o.market, price: formatPrice(o.price), slot: o.slot };
}

/** 12_345 bps -> "1.2345". */
function formatDecimalBps(bps: bigint): string {
  return formatQuote(bps * 100n);
}
