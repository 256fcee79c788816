/**
 * The trading domain every venue, bot and service shares. Money is never a float:
 * prices are PRICE_PRECISION (1e6) bigints, sizes BASE_PRECISION (1e9), quote amounts
 * QUOTE_PRECISION (1e6). Human decimals exist only at the edges (precision.ts).
 */

export type Side = 'buy' | 'sell';

/** `market` orders take liquidity at once (on Drift: through a JIT auction). */
export type OrderType = 'limit' | 'market';

/** Every status an order can have, in lifecycle order (reports list them so; wire decoding checks them). */
export const ORDER_STATUSES = [
  'new',
  'open',
  'partially-filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderRequest {
  /** Market symbol, e.g. `SOL-PERP`. */
  market: string;
  side: Side;
  type: OrderType;
  /** Size, BASE_PRECISION units, > 0. */
  baseAmount: bigint;
  /** Limit price, PRICE_PRECISION units; required for limit orders. */
  price?: bigint;
  /** Maker only: rejected instead of crossing. */
  postOnly?: boolean;
  /** Immediate-or-cancel: what does not fill at once is cancelled. */
  ioc?: boolean;
  /** May only shrink the position. */
  reduceOnly?: boolean;
  /** Caller's id (order-management's), unique per bot. */
  clientOrderId?: string;
  /** Drift's 1..255 user order id that carries the client id on-chain. */
  userOrderId?: number;
  /** Sub-account to trade on; defaults to the venue's own. */
  subAccount?: number;
  /**
   * Venue time (ms) after which the order is never filled and leaves the book as `expired`
   * (Drift's `maxTs`, whole seconds on-chain). Absent: no expiry.
   */
  maxTs?: number;
}

export interface Order {
  /** The venue's id for the order. */
  orderId: string;
  clientOrderId?: string;
  userOrderId?: number;
  subAccount: number;
  market: string;
  side: Side;
  type: OrderType;
  price?: bigint;
  baseAmount: bigint;
  filledBase: bigint;
  status: OrderStatus;
  /**
   * Why the venue ended the order unfilled, when it says (Drift: the cancel's explanation, e.g. a
   * reduce-only order the program cancelled at fill time because it would increase the position).
   * On a live status, `outcome-unknown`: the order left the venue's book but what it did (filled
   * or cancelled) could not be read; never a cancel: reconcile until the venue shows its fills.
   */
  reason?: RejectReason;
  postOnly: boolean;
  reduceOnly: boolean;
  ioc: boolean;
  /** Venue time (ms) after which the order is never filled (see `OrderRequest.maxTs`). */
  maxTs?: number;
  /** Venue time, ms since epoch. */
  createdAt: number;
  updatedAt: number;
}

export interface Fill {
  fillId: string;
  orderId: string;
  clientOrderId?: string;
  subAccount: number;
  market: string;
  /** Side of this sub-account's order. */
  side: Side;
  price: bigint;
  baseAmount: bigint;
  /** price * base, QUOTE_PRECISION units. */
  quoteAmount: bigint;
  /** Fee paid in QUOTE_PRECISION units; negative is a rebate. */
  fee: bigint;
  liquidity: 'maker' | 'taker';
  ts: number;
}

export interface Position {
  subAccount: number;
  market: string;
  /** Signed size, BASE_PRECISION: > 0 long, < 0 short. */
  baseAmount: bigint;
  /** Signed quote paid to enter (cost basis), QUOTE_PRECISION; 0 when flat. */
  quoteEntryAmount: bigint;
  /** Average entry price, PRICE_PRECISION; 0 when flat. */
  entryPrice: bigint;
  realizedPnl: bigint;
  /** Mark-to-oracle PnL of the open size, QUOTE_PRECISION. */
  unrealizedPnl: bigint;
}

export interface AccountState {
  subAccount: number;
  /** Deposited collateral plus realized PnL, fees and funding, QUOTE_PRECISION. */
  collateral: bigint;
  unrealizedPnl: bigint;
  /** collateral + unrealizedPnl. */
  equity: bigint;
  /** Sum of |position notional| at the oracle, QUOTE_PRECISION. */
  grossNotional: bigint;
  initialMarginRequirement: bigint;
  maintenanceMarginRequirement: bigint;
  /** equity - initialMarginRequirement, floored at 0. */
  freeMargin: bigint;
  /** grossNotional / equity in basis points (10_000 = 1x). */
  leverageBps: bigint;
  positions: Position[];
}

export interface OraclePrice {
  market: string;
  price: bigint;
  /** Venue time of the reading, ms. */
  ts: number;
  slot: number;
}

export interface PriceLevel {
  price: bigint;
  baseAmount: bigint;
}

export interface TopOfBook {
  market: string;
  bestBid?: PriceLevel;
  bestAsk?: PriceLevel;
}

export interface Trade {
  market: string;
  price: bigint;
  baseAmount: bigint;
  /** Taker side. */
  side: Side;
  ts: number;
}

/** Why a venue refused an order: typed so callers branch on it, never on text. */
export type RejectReason =
  | 'unknown-market'
  | 'invalid-size'
  | 'invalid-price'
  | 'price-off-tick'
  | 'insufficient-margin'
  | 'reduce-only-increases'
  | 'post-only-would-cross'
  | 'auction-ended'
  | 'order-not-found'
  /** The order's `maxTs` is past: it is never filled, and leaves the book as `expired`. */
  | 'order-expired'
  | 'duplicate-client-id'
  | 'halted'
  | 'risk-limit'
  | 'rate-limited'
  | 'venue-error'
  /**
   * The transaction may have landed (it was confirmed, or may still land) but what it did could
   * not be read. Not a failure: never retry; reconcile with the venue until it shows the order.
   */
  | 'outcome-unknown';

export type PlaceResult =
  | { ok: true; order: Order; fills: Fill[] }
  | { ok: false; reason: RejectReason; message: string };

/**
 * A taker order a maker may fill inside its auction: a Swift signed message (live) or the
 * simulator's signed stream (paper), or an on-chain market order's auction.
 */
export interface TakerOrder {
  /** Unique id: the Swift order uuid, or the on-chain order id. */
  uuid: string;
  source: 'swift' | 'auction';
  market: string;
  /** Taker's side; the maker takes the other. */
  side: Side;
  baseAmount: bigint;
  auction: {
    /** Price the auction starts at (best for the taker), PRICE_PRECISION. */
    startPrice: bigint;
    /** Price it ends at (worst for the taker, the taker's limit). */
    endPrice: bigint;
    startSlot: number;
    durationSlots: number;
  };
  /** Taker authority, base58. */
  taker: string;
  /** Local receipt time, ms (for latency). */
  receivedAt: number;
  /** Signed payload and signature as received (live: Swift message bytes). */
  message?: Uint8Array;
  signature?: Uint8Array;
}

export type VenueEvent =
  | { type: 'fill'; fill: Fill }
  | { type: 'order'; order: Order }
  | { type: 'oracle'; price: OraclePrice }
  | { type: 'halt'; reason: string }
  | { type: 'connection'; state: 'connected' | 'disconnected' };

export type Unsubscribe = () => void;
