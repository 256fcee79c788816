/**
 * One client WebSocket's subscriptions, relayed to one upstream at a time. The client only ever sees
 * the relay's own subscription ids; when the upstream dies (socket closed, ping unanswered, or the
 * pool marks its endpoint down) the relay connects to the next best endpoint and subscribes again
 * with the same parameters, so notifications keep coming under the ids the client already holds.
 * Notifications emitted while no upstream is connected are lost (the gap is logged).
 */
import type { Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import { type BackoffPolicy, backoffDelayMs } from '../backoff.js';
import type { Endpoint } from '../endpoint.js';
import type { RpcPool } from '../pool.js';

export interface RelayOptions {
  /** Ping the upstream this often; no pong before the next ping means it is dead, ms. */
  pingMs: number;
  /** Delay between reconnect attempts. */
  reconnect: BackoffPolicy;
  /** How long an endpoint whose socket failed is skipped when another is usable, ms. */
  avoidFailedMs: number;
}

interface ClientSubscription {
  method: string;
  params: unknown;
  /** The client's request id, until the first upstream confirmed the subscription. */
  pendingClientId?: JsonId;
  upstreamId?: number;
}

type JsonId = string | number | null;

type Pending =
  | { kind: 'subscribe'; relayId: number; method: string; generation: number }
  | { kind: 'unsubscribe'; generation: number };

interface Incoming {
  id?: JsonId;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** Relay subscription ids are unique across the whole proxy, so logs can follow one. */
let nextRelayId = 1;

export class SubscriptionRelay {
  readonly #client: WebSocket;
  readonly #pool: RpcPool;
  readonly #log: Logger;
  readonly #options: RelayOptions;
  readonly #subs = new Map<number, ClientSubscription>();
  readonly #byUpstreamId = new Map<number, number>();
  readonly #pending = new Map<number, Pending>();
  readonly #failedAt = new Map<Endpoint, number>();
  #upstream: WebSocket | undefined;
  #endpoint: Endpoint | undefined;
  /** Bumped on every new upstream socket: replies from an old one are ignored. */
  #generation = 0;
  #nextRequestId = 1;
  #reconnects = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #awaitingPong = false;
  #closed = false;
  readonly #onEndpointDown = (label: string) => {
    if (this.#endpoint?.label === label) this.#dropUpstream('endpoint marked down by the pool');
  };

  constructor(client: WebSocket, pool: RpcPool, logger: Logger, options: RelayOptions) {
    this.#client = client;
    this.#pool = pool;
    this.#log = logger;
    this.#options = options;
    pool.on('endpoint-down', this.#onEndpointDown);
    client.on('message', (data) => this.#onClientMessage(data));
    client.on('close', () => this.close());
    client.on('error', () => this.close());
    this.#connect();
  }

  /** The label of the endpoint currently relayed to, if connected. */
  get upstreamLabel(): string | undefined {
    return this.#upstream?.readyState === WebSocket.OPEN ? this.#endpoint?.label : undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.off('endpoint-down', this.#onEndpointDown);
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#pingTimer);
    this.#upstream?.terminate();
    if (this.#client.readyState === WebSocket.OPEN) this.#client.close();
  }

  #onClientMessage(data: RawData): void {
    let msg: Incoming;
    try {
      msg = JSON.parse(data.toString()) as Incoming;
    } catch {
      this.#toClient({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: not JSON' } });
      return;
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.method !== 'string') {
      this.#toClient({
        jsonrpc: '2.0',
        id: msg?.id ?? null,
        error: { code: -32600, message: 'Invalid request: method is not a string' },
      });
      return;
    }
    const id = msg.id ?? null;
    const method = msg.method;
    if (method.endsWith('Unsubscribe')) this.#unsubscribe(id, msg.params);
    else if (method.endsWith('Subscribe')) this.#subscribe(id, method, msg.params);
    // Plain calls over the socket take the HTTP path, with the pool's retries.
    else
      void this.#pool.request(JSON.stringify(msg)).then((reply) => {
        if (this.#client.readyState === WebSocket.OPEN) this.#client.send(reply.body);
      });
  }

  #subscribe(clientId: JsonId, method: string, params: unknown): void {
    const relayId = nextRelayId++;
    const sub: ClientSubscription = { method, params, pendingClientId: clientId };
    this.#subs.set(relayId, sub);
    if (this.#upstream?.readyState === WebSocket.OPEN) this.#subscribeUpstream(relayId, sub);
  }

  #unsubscribe(clientId: JsonId, params: unknown): void {
    const relayId = Array.isArray(params) ? params[0] : undefined;
    const sub = typeof relayId === 'number' ? this.#subs.get(relayId) : undefined;
    if (sub === undefined || typeof relayId !== 'number') {
      this.#toClient({
        jsonrpc: '2.0',
        id: clientId,
        error: { code: -32602, message: `Invalid subscription id: ${JSON.stringify(relayId ?? null)}` },
      });
      return;
    }
    this.#subs.delete(relayId);
    if (sub.upstreamId !== undefined) {
      this.#byUpstreamId.delete(sub.upstreamId);
      const method = sub.method.replace(/Subscribe$/, 'Unsubscribe');
      this.#toUpstream(method, [sub.upstreamId], { kind: 'unsubscribe', generation: this.#generation });
    }
    this.#toClient({ jsonrpc: '2.0', id: clientId, result: true });
  }

  #subscribeUpstream(relayId: number, sub: ClientSubscription): void {
    this.#toUpstream(sub.method, sub.params, {
      kind: 'subscribe',
      relayId,
      method: sub.method,
      generation: this.#generation,
    });
  }

  #toUpstream(method: string, params: unknown, pending: Pending): void {
    const id = this.#nextRequestId++;
    this.#pending.set(id, pending);
    this.#upstream?.send(
      JSON.stringify({ jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) }),
    );
  }

  #toClient(message: object): void {
    if (this.#client.readyState === WebSocket.OPEN) this.#client.send(JSON.stringify(message));
  }

  #pickEndpoint(): Endpoint | undefined {
    const now = Date.now();
    const recentlyFailed = new Set(
      [...this.#failedAt].filter(([, at]) => now - at < this.#options.avoidFailedMs).map(([e]) => e),
    );
    return this.#pool.best(recentlyFailed) ?? this.#pool.best() ?? this.#pool.endpoints[0];
  }

  #connect(): void {
    if (this.#closed) return;
    const endpoint = this.#pickEndpoint();
    if (endpoint === undefined) return;
    const generation = ++this.#generation;
    this.#endpoint = endpoint;
    this.#pending.clear();
    this.#byUpstreamId.clear();
    for (const sub of this.#subs.values()) delete sub.upstreamId;
    const upstream = new WebSocket(endpoint.wsUrl, { handshakeTimeout: this.#options.pingMs });
    this.#upstream = upstream;
    upstream.on('open', () => {
      if (generation !== this.#generation) return;
      this.#reconnects = 0;
      this.#log.info(
        { endpoint: endpoint.label, subscriptions: this.#subs.size },
        'rpc proxy websocket connected upstream',
      );
      for (const [relayId, sub] of this.#subs) this.#subscribeUpstream(relayId, sub);
      this.#startPing(upstream);
    });
    upstream.on('message', (data) => {
      if (generation === this.#generation) this.#onUpstreamMessage(data);
    });
    upstream.on('pong', () => (this.#awaitingPong = false));
    // The error's text can carry the URL: only its code is logged.
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (generation === this.#generation) this.#dropUpstream(err.code ?? 'socket error');
    });
    upstream.on('close', (code) => {
      if (generation === this.#generation) this.#dropUpstream(`closed (${code})`);
    });
  }

  #dropUpstream(reason: string): void {
    if (this.#closed || this.#endpoint === undefined) return;
    const endpoint = this.#endpoint;
    this.#failedAt.set(endpoint, Date.now());
    this.#generation += 1; // ignore anything more from the old socket
    clearInterval(this.#pingTimer);
    this.#upstream?.terminate();
    this.#upstream = undefined;
    this.#endpoint = undefined;
    const delayMs =
      this.#reconnects === 0 ? 0 : backoffDelayMs(this.#reconnects - 1, this.#options.reconnect);
    this.#reconnects += 1;
    this.#log.warn(
      { endpoint: endpoint.label, reason, subscriptions: this.#subs.size, reconnectInMs: delayMs },
      'rpc proxy websocket upstream lost; failing over',
    );
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delayMs);
  }

  #startPing(upstream: WebSocket): void {
    clearInterval(this.#pingTimer);
    this.#awaitingPong = false;
    this.#pingTimer = setInterval(() => {
      if (this.#awaitingPong) {
        this.#dropUpstream(`no pong within ${this.#options.pingMs} ms`);
        return;
      }
      this.#awaitingPong = true;
      upstream.ping();
    }, this.#options.pingMs);
    this.#pingTimer.unref();
  }

  #onUpstreamMessage(data: RawData): void {
    let msg: Incoming;
    try {
      msg = JSON.parse(data.toString()) as Incoming;
    } catch {
      return;
    }
    if (typeof msg.id === 'number' && this.#pending.has(msg.id)) {
      const pending = this.#pending.get(msg.id)!;
      this.#pending.delete(msg.id);
      if (pending.kind === 'subscribe' && pending.generation === this.#generation)
        this.#onSubscribed(pending.relayId, pending.method, msg);
      return;
    }
    const params = msg.params as { subscription?: unknown; result?: unknown } | undefined;
    if (typeof msg.method !== 'string' || typeof params?.subscription !== 'number') return;
    const relayId = this.#byUpstreamId.get(params.subscription);
    if (relayId === undefined) return;
    this.#toClient({ ...msg, params: { ...params, subscription: relayId } });
    if (msg.method === 'signatureNotification' && !isReceivedSignature(params.result)) {
      // A signature subscription ends with its notification: do not renew it after a failover.
      this.#subs.delete(relayId);
      this.#byUpstreamId.delete(params.subscription);
    }
  }

  #onSubscribed(relayId: number, method: string, reply: Incoming): void {
    const sub = this.#subs.get(relayId);
    if (sub === undefined) {
      // Unsubscribed while the upstream was confirming: undo it there.
      if (typeof reply.result === 'number') {
        const unsubscribe = method.replace(/Subscribe$/, 'Unsubscribe');
        this.#toUpstream(unsubscribe, [reply.result], { kind: 'unsubscribe', generation: this.#generation });
      }
      return;
    }
    if (typeof reply.result === 'number') {
      sub.upstreamId = reply.result;
      this.#byUpstreamId.set(reply.result, relayId);
      if ('pendingClientId' in sub) {
        this.#toClient({ jsonrpc: '2.0', id: sub.pendingClientId, result: relayId });
        delete sub.pendingClientId;
      }
      return;
    }
    if ('pendingClientId' in sub) {
      // The first upstream refused it (bad params): the client hears exactly that.
      this.#subs.delete(relayId);
      this.#toClient({ jsonrpc: '2.0', id: sub.pendingClientId, error: reply.error });
    } else {
      this.#log.warn(
        { endpoint: this.#endpoint?.label, method: sub.method },
        'rpc proxy resubscribe refused',
      );
    }
  }
}

function isReceivedSignature(result: unknown): boolean {
  const value = (result as { value?: unknown } | undefined)?.value;
  return value === 'receivedSignature';
}
