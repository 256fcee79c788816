/**
 * A Swift server double on 127.0.0.1 speaking the protocol (see src/protocol.ts): a nonce challenge
 * verified with tweetnacl against the `pubkey` query parameter, per-market subscriptions, order
 * frames, heartbeats that can be paused, and a restart on the same port.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PublicKey } from '@solana/web3.js';
import nacl from 'tweetnacl';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ServerConnection {
  ws: WebSocket;
  path: string;
  pubkey: string;
  nonce: string;
  authenticated: boolean;
  subscriptions: string[];
}

export class SwiftServerDouble {
  readonly connections: ServerConnection[] = [];
  /** Auth answers whose signature did not verify. */
  readonly failedAuths: string[] = [];
  private wss: WebSocketServer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  heartbeatsPaused = false;
  port = 0;

  constructor(private readonly heartbeatMs = 50) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    this.port = (wss.address() as AddressInfo).port;
    this.wss = wss;
    wss.on('connection', (ws, req) => this.accept(ws, req.url ?? '/'));
    this.heartbeat = setInterval(() => {
      if (this.heartbeatsPaused) return;
      for (const c of this.live()) c.ws.send(JSON.stringify({ channel: 'heartbeat' }));
    }, this.heartbeatMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    const wss = this.wss;
    this.wss = undefined;
    if (!wss) return;
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Stops and listens again on the same port (every client is cut off). */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /** Open, authenticated connections. */
  live(): ServerConnection[] {
    return this.connections.filter((c) => c.authenticated && c.ws.readyState === c.ws.OPEN);
  }

  /** Sends an order frame to every live connection subscribed to `market`. */
  publish(market: string, order: Record<string, unknown>, extra: Record<string, unknown> = {}): number {
    const targets = this.live().filter((c) => c.subscriptions.includes(market));
    for (const c of targets)
      c.ws.send(JSON.stringify({ channel: `swift_orders_perp_${market}`, order, ...extra }));
    return targets.length;
  }

  private accept(ws: WebSocket, path: string): void {
    const pubkey = new URL(path, 'ws://x').searchParams.get('pubkey') ?? '';
    const conn: ServerConnection = {
      ws,
      path,
      pubkey,
      nonce: randomBytes(16).toString('hex'),
      authenticated: false,
      subscriptions: [],
    };
    this.connections.push(conn);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      if (!conn.authenticated && typeof msg.signature === 'string') {
        const ok =
          msg.pubkey === pubkey &&
          nacl.sign.detached.verify(
            new TextEncoder().encode(conn.nonce),
            Buffer.from(msg.signature, 'base64'),
            new PublicKey(pubkey).toBytes(),
          );
        if (!ok) {
          this.failedAuths.push(pubkey);
          ws.send(JSON.stringify({ channel: 'auth', error: 'invalid signature' }));
          ws.close();
          return;
        }
        conn.authenticated = true;
        ws.send(JSON.stringify({ channel: 'auth', message: 'Authenticated' }));
        return;
      }
      if (conn.authenticated && msg.action === 'subscribe' && typeof msg.market_name === 'string') {
        conn.subscriptions.push(msg.market_name);
      }
    });
    ws.send(JSON.stringify({ channel: 'auth', nonce: conn.nonce }));
  }
}
