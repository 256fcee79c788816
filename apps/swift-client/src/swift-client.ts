/**
 * `SwiftClient`: a Swift order stream client that stays up. One connection at a time; on a drop or
 * a heartbeat timeout it reconnects after a jittered exponential backoff (one reconnect in flight,
 * never two), re-authenticates and re-subscribes every market it was asked for (settings live here,
 * not on the socket). Orders are verified (ed25519), decoded with the SDK, de-duplicated by uuid
 * and delivered as @drift/domain `TakerOrder`s. The endpoint given is the endpoint used.
 */
import type { TakerOrder, TakerOrderSource, Unsubscribe } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { DriftClient, DriftEnv } from '@drift-labs/sdk';
import type { Keypair } from '@solana/web3.js';
import nacl from 'tweetnacl';
import WebSocket from 'ws';
import { Backoff } from './backoff.js';
import { authResponse, parseServerMessage, type SwiftOrderWire, subscribeRequest } from './protocol.js';
import { SwiftOrderRejected, toTakerOrder } from './swift-order.js';
import { UuidWindow } from './uuid-window.js';

export interface SwiftClientOptions {
  /** The Swift server (`wss://...`). Used exactly as given. */
  url: string;
  env: DriftEnv;
  /** Signs the server's nonce; its public key is the `pubkey` the server sees. */
  keypair: Keypair;
  /** DriftClient used only for its coder (see drift-client's `offlineDriftClient`). */
  decoder: DriftClient;
  logger: LoggerLike;
  reconnect?: { baseMs: number; capMs: number };
  /** No frame (heartbeat or order) for this long: the connection is dead. */
  heartbeatTimeoutMs?: number;
  verifySignatures?: boolean;
  /** The SDK skips these by default; so do we. */
  acceptSanitized?: boolean;
  acceptDepositTrades?: boolean;
  /** How many recent uuids are remembered for de-duplication. */
  dedupWindow?: number;
  random?: () => number;
}

export type SwiftClientEvent =
  | { type: 'connected' }
  | { type: 'authenticated' }
  | { type: 'subscribed'; market: string }
  | { type: 'disconnected'; reason: string }
  | { type: 'heartbeat-timeout'; silentMs: number }
  | { type: 'reconnect-scheduled'; delayMs: number; attempt: number }
  | { type: 'rejected'; uuid: string; reason: string; message: string }
  | { type: 'duplicate'; uuid: string }
  /** Emitted before listeners get the order: server stamp to local receipt. */
  | { type: 'order'; uuid: string; latencyMs: number };

interface Listener {
  markets: ReadonlySet<string>;
  deliver: (order: TakerOrder) => void;
}

export class SwiftClient implements TakerOrderSource {
  private ws: WebSocket | undefined;
  private authenticated = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private readonly backoff: Backoff;
  private readonly seen: UuidWindow;
  /** Markets wanted, with how many subscribers want each (kept across reconnects). */
  private readonly wanted = new Map<string, number>();
  private readonly sentSubscriptions = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(event: SwiftClientEvent) => void>();
  private readonly logger: LoggerLike;

  constructor(private readonly opts: SwiftClientOptions) {
    this.backoff = new Backoff({
      ...(opts.reconnect ?? { baseMs: 500, capMs: 15_000 }),
      ...(opts.random && { random: opts.random }),
    });
    this.seen = new UuidWindow(opts.dedupWindow ?? 10_000);
    this.logger = opts.logger.child({ component: 'swift-client' });
  }

  /** The URL connected to: the configured endpoint with the maker's `pubkey` added. */
  get connectUrl(): string {
    const url = new URL(this.opts.url);
    url.searchParams.set('pubkey', this.opts.keypair.publicKey.toBase58());
    return url.toString();
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  subscribe(markets: string[], listener: (order: TakerOrder) => void): Unsubscribe {
    const entry: Listener = { markets: new Set(markets), deliver: listener };
    this.listeners.add(entry);
    for (const market of entry.markets) {
      this.wanted.set(market, (this.wanted.get(market) ?? 0) + 1);
      if (this.authenticated) this.sendSubscribe(market);
    }
    if (!this.ws && !this.reconnectTimer && !this.closed) this.open();
    return () => {
      if (!this.listeners.delete(entry)) return;
      for (const market of entry.markets) {
        const n = (this.wanted.get(market) ?? 1) - 1;
        if (n > 0) this.wanted.set(market, n);
        else this.wanted.delete(market);
      }
    };
  }

  /** Connection and stream events (connected, heartbeat timeouts, rejections, ...). */
  onStatus(listener: (event: SwiftClientEvent) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = undefined;
    this.authenticated = false;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
    }
    this.listeners.clear();
  }

  private open(): void {
    const ws = new WebSocket(this.connectUrl, { handshakeTimeout: this.opts.heartbeatTimeoutMs ?? 30_000 });
    this.ws = ws;
    this.authenticated = false;
    this.sentSubscriptions.clear();
    ws.on('open', () => {
      this.emit({ type: 'connected' });
      this.touch();
    });
    ws.on('message', (data) => this.onFrame(String(data)));
    ws.on('close', (code) => this.dropped(ws, `closed (${code})`));
    ws.on('error', (err) => this.dropped(ws, `error: ${err.message}`));
    ws.on('unexpected-response', (_req, res) => this.dropped(ws, `HTTP ${res.statusCode}`));
  }

  private onFrame(text: string): void {
    this.touch();
    let message: ReturnType<typeof parseServerMessage>;
    try {
      message = parseServerMessage(text);
    } catch (err) {
      this.logger.warn({ err }, 'bad frame from swift server');
      return;
    }
    switch (message.kind) {
      case 'nonce':
        this.answerNonce(message.nonce);
        return;
      case 'authenticated':
        this.authenticated = true;
        this.backoff.reset();
        this.emit({ type: 'authenticated' });
        for (const market of this.wanted.keys()) this.sendSubscribe(market);
        return;
      case 'order':
        this.onOrder(message.order, message.deposit);
        return;
      case 'error':
        this.logger.warn({ error: message.message }, 'swift server error');
        return;
      default:
        return;
    }
  }

  private answerNonce(nonce: string): void {
    const signature = nacl.sign.detached(new TextEncoder().encode(nonce), this.opts.keypair.secretKey);
    this.ws?.send(
      authResponse(this.opts.keypair.publicKey.toBase58(), Buffer.from(signature).toString('base64')),
    );
  }

  private sendSubscribe(market: string): void {
    if (this.sentSubscriptions.has(market) || this.ws?.readyState !== WebSocket.OPEN) return;
    this.sentSubscriptions.add(market);
    this.ws.send(subscribeRequest(market));
    this.emit({ type: 'subscribed', market });
  }

  private onOrder(wire: SwiftOrderWire, deposit: boolean): void {
    if (wire.will_sanitize === true && !this.opts.acceptSanitized) return;
    if (deposit && !this.opts.acceptDepositTrades) return;
    if (this.seen.has(wire.uuid)) {
      this.emit({ type: 'duplicate', uuid: wire.uuid });
      return;
    }
    let order: TakerOrder;
    try {
      order = toTakerOrder(wire, {
        decoder: this.opts.decoder,
        env: this.opts.env,
        verifySignatures: this.opts.verifySignatures ?? true,
        receivedAt: Date.now(),
      });
    } catch (err) {
      if (!(err instanceof SwiftOrderRejected)) throw err;
      this.logger.warn({ uuid: wire.uuid, reason: err.reason, err }, 'swift order rejected');
      this.emit({ type: 'rejected', uuid: wire.uuid, reason: err.reason, message: err.message });
      return;
    }
    // Only a verified order claims its uuid: a forged copy cannot shadow the real one.
    this.seen.add(wire.uuid);
    this.emit({ type: 'order', uuid: order.uuid, latencyMs: order.receivedAt - wire.ts });
    for (const listener of this.listeners) {
      if (!listener.markets.has(order.market)) continue;
      try {
        listener.deliver(order);
      } catch (err) {
        this.logger.error({ err, uuid: order.uuid }, 'taker order listener threw');
      }
    }
  }

  /** Any frame proves the connection alive; silence for the timeout ends it. */
  private touch(): void {
    this.lastFrameAt = Date.now();
    if (this.heartbeatTimer) return;
    const timeoutMs = this.opts.heartbeatTimeoutMs ?? 30_000;
    this.heartbeatTimer = setInterval(
      () => {
        if (Date.now() - this.lastFrameAt < timeoutMs) return;
        // Timers run before pending socket reads after a stalled event loop: let those frames land
        // (setImmediate runs after the poll phase) before calling the connection dead.
        setImmediate(() => {
          const silentMs = Date.now() - this.lastFrameAt;
          const ws = this.ws;
          if (silentMs < timeoutMs || !ws || !this.heartbeatTimer) return;
          this.logger.warn({ silentMs }, 'swift heartbeat lost');
          this.emit({ type: 'heartbeat-timeout', silentMs });
          this.dropped(ws, `no frame for ${silentMs} ms`);
        });
      },
      Math.max(10, Math.floor(timeoutMs / 4)),
    );
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** The socket `ws` is gone: schedule one reconnect (later events of the same socket are ignored). */
  private dropped(ws: WebSocket, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    this.authenticated = false;
    this.stopHeartbeat();
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    ws.terminate();
    this.emit({ type: 'disconnected', reason });
    if (this.closed || this.reconnectTimer) return;
    const delayMs = this.backoff.next();
    this.emit({ type: 'reconnect-scheduled', delayMs, attempt: this.backoff.attempts });
    this.logger.warn(
      { reason, delayMs, attempt: this.backoff.attempts },
      'swift connection lost; reconnecting',
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.open();
    }, delayMs);
  }

  private emit(event: SwiftClientEvent): void {
    for (const listener of this.statusListeners) listener(event);
  }
}
