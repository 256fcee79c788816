/**
 * The sim server's WebSocket client: `SimApi` over the wire. Requests carry an id and resolve with
 * the matching reply; pushed events reach the listeners whose subscription wants them. After a
 * dropped connection it reconnects and re-subscribes until closed.
 */
import type { MarketSpec, OrderChanges, OrderRequest, TakerOrder } from '@drift/domain';
import { DriftError } from '@drift/logging';
import WebSocket from 'ws';
import { type SimApi, type SimSubscription, wants } from './api.js';
import type { EngineScope, MakerFill, SimEvent } from './engine.js';
import {
  encodeWire,
  Reader,
  readAccount,
  readEvent,
  readFill,
  readLevel,
  readMarketSpec,
  readOracle,
  readOrder,
  readPlaceResult,
  readPosition,
  readTopOfBook,
  readTrade,
} from './wire.js';

/** The server refused a request (bad field, unknown market, ...). */
export class SimRemoteError extends DriftError {
  override readonly code = 'DRIFT_ERR_SIM_REQUEST_REFUSED';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SimRemoteError';
  }
}

interface Pending {
  resolve: (reply: Reader) => void;
  reject: (err: Error) => void;
}

const RECONNECT_MS = 250;

export class SimClient implements SimApi {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Map<
    number,
    { subscription: SimSubscription; listener: (e: SimEvent) => void }
  >();
  private nextSubscription = 1;
  private connectionListeners: ((state: 'connected' | 'disconnected') => void)[] = [];
  private closed = false;
  private opening: Promise<void> | undefined;
  private subscriptionSent: Promise<void> = Promise.resolve();

  constructor(readonly url: string) {}

  onConnection(listener: (state: 'connected' | 'disconnected') => void): void {
    this.connectionListeners.push(listener);
  }

  connect(): Promise<void> {
    this.closed = false;
    this.opening ??= this.open().catch((err: unknown) => {
      this.opening = undefined; // a later call tries again
      throw err;
    });
    return this.opening;
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.once('open', () => {
        this.ws = ws;
        for (const l of this.connectionListeners) l('connected');
        this.subscriptionSent = this.sendSubscription();
        resolve();
      });
      ws.once('error', (err) => {
        if (this.ws !== ws) reject(err);
      });
      ws.on('message', (data) => this.onMessage(String(data)));
      ws.on('close', () => {
        if (this.ws !== ws) return;
        this.ws = undefined;
        this.opening = undefined;
        for (const [, p] of this.pending)
          p.reject(
            Object.assign(new SimRemoteError('connection to the sim server closed'), { code: 'ECONNRESET' }),
          );
        this.pending.clear();
        for (const l of this.connectionListeners) l('disconnected');
        if (!this.closed) setTimeout(() => this.reconnect(), RECONNECT_MS).unref();
      });
    });
  }

  private reconnect(): void {
    if (this.closed || this.opening) return;
    this.opening = this.open().catch(() => {
      this.opening = undefined;
      setTimeout(() => this.reconnect(), RECONNECT_MS).unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.ws;
    this.ws = undefined;
    this.opening = undefined;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }

  private onMessage(text: string): void {
    let message: Reader;
    try {
      message = new Reader(JSON.parse(text));
    } catch {
      return;
    }
    if (message.raw('type') === 'event') {
      const event = readEvent(message.obj('event'));
      for (const { subscription, listener } of this.subscriptions.values())
        if (wants(subscription, event)) listener(event);
      return;
    }
    const id = message.raw('id');
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending) return;
    this.pending.delete(id as number);
    if (message.raw('ok') === true) {
      pending.resolve(message);
    } else {
      const error = message.optObj('error');
      const field = error?.raw('field');
      pending.reject(
        new SimRemoteError(
          String(error?.raw('message') ?? 'request failed'),
          typeof field === 'string' ? field : undefined,
        ),
      );
    }
  }

  /** Sends `{ id, type, ...params }` and decodes the reply's `result`. */
  async request<T>(type: string, params: object, decode: (reply: Reader) => T): Promise<T> {
    // Closed on purpose: a late request must not open a connection that keeps the process alive.
    if (this.closed) throw new SimRemoteError('the sim client is closed');
    if (!this.ws) await this.connect();
    const ws = this.ws;
    if (!ws) throw new SimRemoteError('not connected to the sim server');
    const id = this.nextId++;
    const reply = await new Promise<Reader>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      ws.send(encodeWire({ id, type, ...params }), (err) => {
        if (err && this.pending.delete(id)) reject(err);
      });
    });
    return decode(reply);
  }

  markets(): Promise<MarketSpec[]> {
    return this.request('markets', {}, (r) => r.list('result', (v, p) => readMarketSpec(new Reader(v, p))));
  }

  clock() {
    return this.request('clock', {}, (r) => {
      const c = r.obj('result');
      return { slot: c.nat('slot'), ts: c.nat('ts') };
    });
  }

  oracle(market: string) {
    return this.request('oracle', { market }, (r) => readOracle(r.obj('result')));
  }

  topOfBook(market: string) {
    return this.request('topOfBook', { market }, (r) => readTopOfBook(r.obj('result')));
  }

  book(market: string, levels?: number) {
    return this.request('book', { market, levels }, (r) => {
      const b = r.obj('result');
      const level = (v: unknown, p: string) => readLevel(new Reader(v, p));
      return { market: b.str('market'), bids: b.list('bids', level), asks: b.list('asks', level) };
    });
  }

  trades(market: string, limit?: number) {
    return this.request('trades', { market, limit }, (r) =>
      r.list('result', (v, p) => readTrade(new Reader(v, p))),
    );
  }

  place(subAccount: number, order: OrderRequest) {
    return this.request('place', { subAccount, order }, (r) => readPlaceResult(r.obj('result')));
  }

  cancel(orderId: string, scope: EngineScope) {
    return this.request('cancel', { orderId, ...scope }, (r) => r.bool('result'));
  }

  cancelAll(scope: EngineScope) {
    return this.request('cancelAll', scope, (r) => r.nat('result'));
  }

  modify(orderId: string, changes: OrderChanges, scope: EngineScope) {
    return this.request('modify', { orderId, ...changes, ...scope }, (r) => readPlaceResult(r.obj('result')));
  }

  fillTaker(taker: TakerOrder, maker: MakerFill) {
    return this.request('fillTaker', { taker, maker }, (r) => readPlaceResult(r.obj('result')));
  }

  openOrders(scope: EngineScope) {
    return this.request('openOrders', scope, (r) => r.list('result', (v, p) => readOrder(new Reader(v, p))));
  }

  fills(scope: EngineScope & { sinceTs?: number }) {
    return this.request('fills', scope, (r) => r.list('result', (v, p) => readFill(new Reader(v, p))));
  }

  positions(scope: EngineScope) {
    return this.request('positions', scope, (r) =>
      r.list('result', (v, p) => readPosition(new Reader(v, p))),
    );
  }

  account(subAccount: number) {
    return this.request('account', { subAccount }, (r) => readAccount(r.obj('result')));
  }

  subAccounts() {
    return this.request('subAccounts', {}, (r) => r.list('result', (v, p) => new Reader({ v }, p).nat('v')));
  }

  /** The engine's history as JSON (bigints as decimal strings): entries after `afterSeq`, at most `limit`. */
  history(afterSeq = 0, limit?: number): Promise<unknown[]> {
    return this.request('history', { afterSeq, limit }, (r) => r.list('result', (v) => v));
  }

  subscribe(subscription: SimSubscription, listener: (event: SimEvent) => void): () => void {
    const id = this.nextSubscription++;
    this.subscriptions.set(id, { subscription, listener });
    this.subscriptionSent = this.sendSubscription();
    return () => {
      this.subscriptions.delete(id);
      this.subscriptionSent = this.sendSubscription();
    };
  }

  async synced(): Promise<void> {
    if (this.opening) await this.opening;
    await this.subscriptionSent;
  }

  /** The server keeps one subscription per connection: the union of this client's listeners. */
  private async sendSubscription(): Promise<void> {
    if (!this.ws) return;
    const union = {
      subAccounts: new Set<number>(),
      oracle: new Set<string>(),
      trades: new Set<string>(),
      takers: new Set<string>(),
    };
    let allSubAccounts = false;
    for (const { subscription: s } of this.subscriptions.values()) {
      if (s.subAccounts === 'all') allSubAccounts = true;
      else for (const sub of s.subAccounts ?? []) union.subAccounts.add(sub);
      for (const m of s.oracle ?? []) union.oracle.add(m);
      for (const m of s.trades ?? []) union.trades.add(m);
      for (const m of s.takers ?? []) union.takers.add(m);
    }
    await this.request(
      'subscribe',
      {
        subAccounts: allSubAccounts ? 'all' : [...union.subAccounts],
        oracle: [...union.oracle],
        trades: [...union.trades],
        takers: [...union.takers],
      },
      () => undefined,
    ).catch(() => undefined);
  }
}
