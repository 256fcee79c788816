/**
 * A controllable fake Solana JSON-RPC server on 127.0.0.1: real HTTP and WebSocket, answering the
 * few methods the tests use, and misbehaving on demand (slow, 429 + Retry-After, 500, hang, drop
 * the socket, fall behind in slot, die).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'drop' };

interface Subscription {
  id: number;
  method: string;
  params: unknown;
  socket: WebSocket;
}

export class FakeUpstream {
  readonly url: string;
  readonly wsUrl: string;
  /** How every HTTP request is treated (`only` narrows it to some methods). */
  behaviour: Behaviour = { kind: 'ok' };
  only: readonly string[] | undefined;
  slot: number;
  /** false: getHealth answers -32005 "node is behind". */
  healthy = true;
  /** Every HTTP method received, in order. */
  readonly calls: string[] = [];
  readonly subscriptions = new Map<number, Subscription>();
  /** Subscribe requests received over WebSocket (method names). */
  readonly subscribeCalls: string[] = [];
  readonly #server: http.Server;
  readonly #wss: WebSocketServer;
  readonly #hanging = new Set<http.ServerResponse>();
  #nextSubId: number;

  private constructor(server: http.Server, wss: WebSocketServer, slot: number, subIdBase: number) {
    this.#server = server;
    this.#wss = wss;
    this.slot = slot;
    this.#nextSubId = subIdBase;
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${port}`;
  }

  static async start(options: { slot?: number; subIdBase?: number } = {}): Promise<FakeUpstream> {
    const server = http.createServer();
    server.keepAliveTimeout = 60_000;
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeUpstream(server, wss, options.slot ?? 1_000, options.subIdBase ?? 1);
    server.on('request', (req, res) => fake.#onRequest(req, res));
    wss.on('connection', (socket) => fake.#onSocket(socket));
    return fake;
  }

  count(method: string): number {
    return this.calls.filter((m) => m === method).length;
  }

  /** Sends a slotNotification to every slot subscriber; returns how many got it. */
  notifySlot(slot: number): number {
    let sent = 0;
    for (const sub of this.subscriptions.values()) {
      if (sub.method !== 'slotSubscribe') continue;
      sub.socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'slotNotification',
          params: { result: { parent: slot - 1, root: slot - 32, slot }, subscription: sub.id },
        }),
      );
      sent += 1;
    }
    return sent;
  }

  /** Closes every WebSocket client abruptly (the upstream's pubsub dies, HTTP stays up). */
  dropWebSockets(): void {
    for (const client of this.#wss.clients) client.terminate();
  }

  /** The pubsub hangs: sockets stay open but nothing is answered, not even pings. */
  freezeWebSockets(): void {
    for (const client of this.#wss.clients) {
      // @ts-expect-error ws has no public switch for auto-pong: pause the raw socket instead.
      client._socket.pause();
    }
  }

  /** Dies: stops listening (connections are refused from now on) and cuts every connection. */
  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#wss.close(() => this.#server.close(() => resolve())));
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = JSON.parse(Buffer.concat(chunks).toString()) as {
        id: unknown;
        method: string;
        params?: unknown[];
      };
      this.calls.push(call.method);
      const behaviour: Behaviour =
        this.only === undefined || this.only.includes(call.method) ? this.behaviour : { kind: 'ok' };
      const reply = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, ...this.#answer(call.method) }));
      };
      switch (behaviour.kind) {
        case 'ok':
          return reply();
        case 'slow':
          setTimeout(reply, behaviour.delayMs);
          return;
        case 'status': {
          const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
          if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
          res.writeHead(behaviour.status, headers);
          res.end(
            JSON.stringify({
              jsonrpc: '2.0',
              id: call.id,
              error: { code: -32000, message: `HTTP ${behaviour.status}` },
            }),
          );
          return;
        }
        case 'hang':
          this.#hanging.add(res);
          res.on('close', () => this.#hanging.delete(res));
          return;
        case 'drop':
          req.socket.destroy();
          return;
      }
    });
  }

  #answer(method: string): { result: unknown } | { error: { code: number; message: string } } {
    switch (method) {
      case 'getHealth':
        return this.healthy
          ? { result: 'ok' }
          : { error: { code: -32005, message: 'Node is behind by 80 slots' } };
      case 'getSlot':
        return { result: this.slot };
      case 'getLatestBlockhash':
        return {
          result: {
            context: { slot: this.slot },
            value: {
              blockhash: 'EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N',
              lastValidBlockHeight: this.slot + 150,
            },
          },
        };
      case 'sendTransaction':
        return {
          result: '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
        };
      case 'getVersion':
        return { result: { 'solana-core': '2.1.0', 'feature-set': 1 } };
      default:
        return { error: { code: -32601, message: 'Method not found' } };
    }
  }

  #onSocket(socket: WebSocket): void {
    socket.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id: unknown; method: string; params?: unknown[] };
      if (msg.method.endsWith('Unsubscribe')) {
        const id = msg.params?.[0];
        const existed = typeof id === 'number' && this.subscriptions.delete(id);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: existed }));
        return;
      }
      if (msg.method.endsWith('Subscribe')) {
        this.subscribeCalls.push(msg.method);
        const id = this.#nextSubId++;
        this.subscriptions.set(id, { id, method: msg.method, params: msg.params, socket });
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: id }));
        return;
      }
      socket.send(
        JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } }),
      );
    });
    socket.on('close', () => {
      for (const [id, sub] of this.subscriptions) if (sub.socket === socket) this.subscriptions.delete(id);
    });
  }
}
