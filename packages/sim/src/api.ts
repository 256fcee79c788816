/**
 * The simulator's operations as one async interface: `SimVenue` and `SimTakerStream` are written
 * against it, and it has two implementations — the engine in-process (`embeddedApi`) and the
 * server over WebSocket (`SimClient`) — so both modes behave the same by construction.
 */
import type {
  AccountState,
  Fill,
  MarketSpec,
  OraclePrice,
  Order,
  OrderChanges,
  OrderRequest,
  PlaceResult,
  Position,
  PriceLevel,
  TakerOrder,
  TopOfBook,
  Trade,
} from '@drift/domain';
import type { EngineScope, MakerFill, SimEngine, SimEvent } from './engine.js';

/** Which pushed events a subscriber wants. */
export interface SimSubscription {
  /** Fills and order updates of these sub-accounts (`all` for every one). */
  subAccounts?: number[] | 'all';
  /** Oracle ticks of these markets. */
  oracle?: string[];
  /** Public trades of these markets. */
  trades?: string[];
  /** Taker orders (signed stream and market-order auctions) of these markets. */
  takers?: string[];
}

export interface SimApi {
  markets(): Promise<MarketSpec[]>;
  clock(): Promise<{ slot: number; ts: number }>;
  oracle(market: string): Promise<OraclePrice>;
  topOfBook(market: string): Promise<TopOfBook>;
  book(market: string, levels?: number): Promise<{ market: string; bids: PriceLevel[]; asks: PriceLevel[] }>;
  trades(market: string, limit?: number): Promise<Trade[]>;
  place(subAccount: number, request: OrderRequest): Promise<PlaceResult>;
  cancel(orderId: string, scope: EngineScope): Promise<boolean>;
  cancelAll(scope: EngineScope): Promise<number>;
  modify(orderId: string, changes: OrderChanges, scope: EngineScope): Promise<PlaceResult>;
  fillTaker(taker: TakerOrder, maker: MakerFill): Promise<PlaceResult>;
  openOrders(scope: EngineScope): Promise<Order[]>;
  fills(scope: EngineScope & { sinceTs?: number }): Promise<Fill[]>;
  positions(scope: EngineScope): Promise<Position[]>;
  account(subAccount: number): Promise<AccountState>;
  subAccounts(): Promise<number[]>;
  /** Pushed events matching `subscription`, in the order the engine produced them. */
  subscribe(subscription: SimSubscription, listener: (event: SimEvent) => void): () => void;
  /** Resolves once every subscription made so far is in force (remote: acknowledged by the server). */
  synced(): Promise<void>;
  close(): Promise<void>;
}

/** True when `event` is one `subscription` asked for (halts always are). */
export function wants(subscription: SimSubscription, event: SimEvent): boolean {
  switch (event.type) {
    case 'fill':
    case 'order': {
      const sub = event.type === 'fill' ? event.fill.subAccount : event.order.subAccount;
      const subs = subscription.subAccounts;
      return subs === 'all' || (subs?.includes(sub) ?? false);
    }
    case 'oracle':
      return subscription.oracle?.includes(event.price.market) ?? false;
    case 'trade':
      return subscription.trades?.includes(event.trade.market) ?? false;
    case 'taker':
      return subscription.takers?.includes(event.order.market) ?? false;
    case 'halt':
    case 'resume':
      return true;
  }
}

/** Results handed out are copies: a caller editing one cannot reach into the engine's history. */
function own(result: PlaceResult): PlaceResult {
  return result.ok ? { ...result, fills: result.fills.map((f) => ({ ...f })) } : result;
}

function ownEvent(event: SimEvent): SimEvent {
  return event.type === 'fill' ? { type: 'fill', fill: { ...event.fill } } : event;
}

/** The engine in this process behind the async interface. */
export function embeddedApi(engine: SimEngine): SimApi {
  return {
    markets: async () => [...engine.markets()],
    clock: async () => engine.clock(),
    oracle: async (market) => ({ ...engine.oracle(market) }),
    topOfBook: async (market) => engine.topOfBook(market),
    book: async (market, levels) => engine.book(market, levels),
    trades: async (market, limit) => engine.recentTrades(market, limit).map((t) => ({ ...t })),
    place: async (subAccount, request) => own(engine.place(subAccount, request)),
    cancel: async (orderId, scope) => engine.cancel(orderId, scope),
    cancelAll: async (scope) => engine.cancelAll(scope),
    modify: async (orderId, changes, scope) => own(engine.modify(orderId, changes, scope)),
    fillTaker: async (taker, maker) => own(engine.fillTaker(taker, maker)),
    openOrders: async (scope) => engine.openOrdersList(scope),
    fills: async (scope) => engine.fills(scope).map((f) => ({ ...f })),
    positions: async (scope) => engine.positions(scope),
    account: async (subAccount) => engine.account(subAccount),
    subAccounts: async () => engine.subAccounts(),
    subscribe: (subscription, listener) =>
      engine.subscribe((event) => {
        if (wants(subscription, event)) listener(ownEvent(event));
      }),
    synced: async () => {},
    close: async () => {},
  };
}
