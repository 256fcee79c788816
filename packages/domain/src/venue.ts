import type { MarketSpec } from './markets.js';
import type {
  AccountState,
  Fill,
  OraclePrice,
  Order,
  OrderRequest,
  PlaceResult,
  Position,
  TakerOrder,
  TopOfBook,
  Trade,
  Unsubscribe,
  VenueEvent,
} from './trading.js';

/** Filter for calls that can span sub-accounts (the risk manager's cancel-all, the hedge bot's view). */
export interface AccountScope {
  /** Defaults to the venue's own sub-account. */
  subAccount?: number;
  market?: string;
}

/** What `modifyOrder` may change on a resting limit order. */
export interface OrderChanges {
  price?: bigint;
  baseAmount?: bigint;
  /** A new expiry, venue ms (see `OrderRequest.maxTs`). */
  maxTs?: number;
}

/**
 * What a strategy sees of an exchange. `SimVenue` (paper) and `DriftVenue` (live) implement it;
 * bots get one from drift-client's `createVenue(config)` and never know which.
 * Events are delivered to listeners (emitter style) in the order the venue produced them.
 */
export interface Venue {
  readonly kind: 'sim' | 'drift';
  /** The sub-account this venue trades by default. */
  readonly subAccount: number;

  connect(): Promise<void>;
  close(): Promise<void>;

  markets(): readonly MarketSpec[];
  /** Venue clock: slot and ms time (virtual in a fast-forwarded simulation). */
  clock(): Promise<{ slot: number; ts: number }>;

  getOraclePrice(market: string): Promise<OraclePrice>;
  getTopOfBook(market: string): Promise<TopOfBook>;
  getRecentTrades(market: string, limit?: number): Promise<Trade[]>;

  placeOrder(request: OrderRequest): Promise<PlaceResult>;
  cancelOrder(orderId: string, scope?: AccountScope): Promise<boolean>;
  /** Cancels every open order in scope; returns how many were cancelled. */
  cancelAllOrders(scope?: AccountScope): Promise<number>;
  /** `maxTs` alone (a refreshed expiry) keeps the order's place in the queue. */
  modifyOrder(orderId: string, changes: OrderChanges, scope?: AccountScope): Promise<PlaceResult>;
  /**
   * Fill a taker order inside its auction as maker (live: place-and-make). `decisionUs`: the
   * maker's own decision time, measured in its process (paper: part of when the fill lands).
   */
  fillTakerOrder(
    taker: TakerOrder,
    maker: {
      price: bigint;
      baseAmount: bigint;
      subAccount?: number;
      /** The maker order's ids (the order manager's), so its events and fills can be matched. */
      userOrderId?: number;
      clientOrderId?: string;
      /** The bot's decision time, measured in process: the simulator's race uses it. */
      decisionUs?: number;
    },
  ): Promise<PlaceResult>;

  getOpenOrders(scope?: AccountScope): Promise<Order[]>;
  /** Fills since `sinceTs` (ms), oldest first: what reconciliation replays after a restart. */
  getFills(scope?: AccountScope & { sinceTs?: number }): Promise<Fill[]>;
  getPositions(scope?: AccountScope): Promise<Position[]>;
  getAccount(subAccount?: number): Promise<AccountState>;
  /**
   * Up to when this venue's view of the sub-account is known to match the venue (slot and venue
   * ms): its freshness. A view that only changes on notifications is confirmed, not assumed.
   */
  accountAsOf(subAccount?: number): Promise<{ slot: number; ts: number }>;
  /** Sub-accounts this venue can see (the fleet's, for the risk manager). */
  subAccounts(): Promise<number[]>;

  subscribe(listener: (event: VenueEvent) => void): Unsubscribe;
}

/** A stream of taker orders to fill as maker: swift-client (live or paper) implements it. */
export interface TakerOrderSource {
  subscribe(markets: string[], listener: (order: TakerOrder) => void): Unsubscribe;
  close(): Promise<void>;
}
