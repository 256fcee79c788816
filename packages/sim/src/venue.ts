/**
 * `SimVenue`: @drift/domain's `Venue` over the simulator, in-process (`SimVenue.embedded`) or over the
 * shared server (`SimVenue.remote`). Calls without a sub-account act on the venue's own.
 */
import type {
  AccountScope,
  AccountState,
  Fill,
  MarketSpec,
  OraclePrice,
  Order,
  OrderChanges,
  OrderRequest,
  PlaceResult,
  Position,
  TakerOrder,
  TopOfBook,
  Trade,
  Unsubscribe,
  Venue,
  VenueEvent,
} from '@drift/domain';
import { embeddedApi, type SimApi } from './api.js';
import { SimClient } from './client.js';
import type { SimEngine } from './engine.js';

export interface SimVenueOptions {
  /** Deliver fills and order updates of every sub-account, not just this venue's (risk manager). */
  allSubAccounts?: boolean;
}

export class SimVenue implements Venue {
  readonly kind = 'sim' as const;
  private specs: MarketSpec[] = [];
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private unsubscribeApi: (() => void) | undefined;

  constructor(
    readonly api: SimApi,
    readonly subAccount: number,
    private readonly options: SimVenueOptions = {},
  ) {}

  /** Over an engine in this process (a bot run alone). The caller runs the engine's clock. */
  static embedded(engine: SimEngine, subAccount: number, options?: SimVenueOptions): SimVenue {
    return new SimVenue(embeddedApi(engine), subAccount, options);
  }

  /** Over the fleet's sim server (`ws://127.0.0.1:port`). */
  static remote(url: string, subAccount: number, options?: SimVenueOptions): SimVenue {
    return new SimVenue(new SimClient(url), subAccount, options);
  }

  async connect(): Promise<void> {
    if (this.api instanceof SimClient) {
      this.api.onConnection((state) => this.deliver({ type: 'connection', state }));
      await this.api.connect();
    }
    this.specs = await this.api.markets();
    this.unsubscribeApi?.();
    this.unsubscribeApi = this.api.subscribe(
      {
        subAccounts: this.options.allSubAccounts ? 'all' : [this.subAccount],
        oracle: this.specs.map((m) => m.symbol),
      },
      (event) => {
        if (event.type === 'fill' || event.type === 'order' || event.type === 'halt') this.deliver(event);
        else if (event.type === 'oracle') this.deliver({ type: 'oracle', price: event.price });
      },
    );
    await this.api.synced();
  }

  async close(): Promise<void> {
    this.unsubscribeApi?.();
    this.unsubscribeApi = undefined;
    await this.api.close();
  }

  markets(): readonly MarketSpec[] {
    return this.specs;
  }

  clock(): Promise<{ slot: number; ts: number }> {
    return this.api.clock();
  }

  /** The simulator answers every account read from its own state: current as of its clock. */
  accountAsOf(): Promise<{ slot: number; ts: number }> {
    return this.api.clock();
  }

  getOraclePrice(market: string): Promise<OraclePrice> {
    return this.api.oracle(market);
  }

  getTopOfBook(market: string): Promise<TopOfBook> {
    return this.api.topOfBook(market);
  }

  getRecentTrades(market: string, limit?: number): Promise<Trade[]> {
    return this.api.trades(market, limit);
  }

  placeOrder(request: OrderRequest): Promise<PlaceResult> {
    const { subAccount = this.subAccount, ...rest } = request;
    return this.api.place(subAccount, rest);
  }

  cancelOrder(orderId: string, scope?: AccountScope): Promise<boolean> {
    return this.api.cancel(orderId, this.scoped(scope));
  }

  cancelAllOrders(scope?: AccountScope): Promise<number> {
    return this.api.cancelAll(this.scoped(scope));
  }

  modifyOrder(orderId: string, changes: OrderChanges, scope?: AccountScope): Promise<PlaceResult> {
    return this.api.modify(orderId, changes, this.scoped(scope));
  }

  fillTakerOrder(
    taker: TakerOrder,
    maker: { price: bigint; baseAmount: bigint; subAccount?: number; decisionUs?: number },
  ): Promise<PlaceResult> {
    return this.api.fillTaker(taker, {
      price: maker.price,
      baseAmount: maker.baseAmount,
      subAccount: maker.subAccount ?? this.subAccount,
      ...(maker.decisionUs !== undefined && { decisionUs: Math.max(0, Math.round(maker.decisionUs)) }),
    });
  }

  getOpenOrders(scope?: AccountScope): Promise<Order[]> {
    return this.api.openOrders(this.scoped(scope));
  }

  getFills(scope?: AccountScope & { sinceTs?: number }): Promise<Fill[]> {
    const fillScope: AccountScope & { sinceTs?: number } = this.scoped(scope);
    if (scope?.sinceTs !== undefined) fillScope.sinceTs = scope.sinceTs;
    return this.api.fills(fillScope);
  }

  getPositions(scope?: AccountScope): Promise<Position[]> {
    return this.api.positions(this.scoped(scope));
  }

  getAccount(subAccount?: number): Promise<AccountState> {
    return this.api.account(subAccount ?? this.subAccount);
  }

  subAccounts(): Promise<number[]> {
    return this.api.subAccounts();
  }

  subscribe(listener: (event: VenueEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private deliver(event: VenueEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private scoped(scope: AccountScope | undefined): AccountScope {
    const out: AccountScope = { subAccount: scope?.subAccount ?? this.subAccount };
    if (scope?.market !== undefined) out.market = scope.market;
    return out;
  }
}
