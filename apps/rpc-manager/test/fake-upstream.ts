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

export interface FakeUpstreamOptions {
  /** Default 0: any free port. */
  port?: number;
  slot?: number;
  /** First subscription id handed out (make them differ between upstreams). */
  subIdBase?: number;
  /** Also serve WebSockets on port + 1 (web3.js's convention); `wsUrl` then points there. */
  pairedWsPort?: boolean;
  /** Advance the slot and notify slot subscribers every this many ms. */
  slotMs?: number;
}

/** Where a test in another process changes the behaviour (see `#onControl`). */
export const CONTROL_PATH = '/__fake';

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
  readonly #wsServer: http.Server | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #nextSubId: number;

  private constructor(
    server: http.Server,
    wss: WebSocketServer,
    slot: number,
    subIdBase: number,
    wsServer: http.Server | undefined,
  ) {
    this.#server = server;
    this.#wsServer = wsServer;
    this.#wss = wss;
    this.slot = slot;
    this.#nextSubId = subIdBase;
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${wsServer ? port + 1 : port}`;
  }

  static async start(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
    for (let tries = 0; ; tries++) {
      const server = http.createServer();
      server.keepAliveTimeout = 60_000;
      const wss = new WebSocketServer({ noServer: true });
      acceptUpgrades(server, wss);
      await listen(server, options.port ?? 0);
      let wsServer: http.Server | undefined;
      if (options.pairedWsPort) {
        // web3.js (and rpc-manager) look for pubsub on port + 1 of an URL with an explicit port.
        wsServer = http.createServer();
        acceptUpgrades(wsServer, wss);
        const port = (server.address() as AddressInfo).port;
        const ok = await listen(wsServer, port + 1).then(
          () => true,
          (err: NodeJS.ErrnoException) => {
            if (err.code !== 'EADDRINUSE' || options.port || tries >= 20) throw err;
            return false;
          },
        );
        if (!ok) {
          await new Promise((r) => server.close(r));
          continue;
        }
      }
      const fake = new FakeUpstream(server, wss, options.slot ?? 1_000, options.subIdBase ?? 1, wsServer);
      server.on('request', (req, res) => fake.#onRequest(req, res));
      wss.on('connection', (socket) => fake.#onSocket(socket));
      if (options.slotMs) fake.#ticker = setInterval(() => fake.notifySlot(++fake.slot), options.slotMs);
      return fake;
    }
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
    clearInterval(this.#ticker);
    for (const client of this.#wss.clients) client.terminate();
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    this.#wsServer?.closeAllConnections();
    this.#wss.close();
    await Promise.all(
      [this.#server, this.#wsServer].map((s) => s && new Promise((resolve) => s.close(resolve))),
    );
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === CONTROL_PATH) return this.#onControl(Buffer.concat(chunks).toString(), res);
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

  /** `POST /__fake`: `{ behaviour?, only?, slot?, healthy? }`, for a test that runs this in another process. */
  #onControl(body: string, res: http.ServerResponse): void {
    const change = JSON.parse(body) as {
      behaviour?: Behaviour;
      only?: string[] | null;
      slot?: number;
      healthy?: boolean;
    };
    if (change.behaviour !== undefined) this.behaviour = change.behaviour;
    if (change.only !== undefined) this.only = change.only ?? undefined;
    if (change.slot !== undefined) this.slot = change.slot;
    if (change.healthy !== undefined) this.healthy = change.healthy;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        behaviour: this.behaviour,
        only: this.only ?? null,
        slot: this.slot,
        healthy: this.healthy,
      }),
    );
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

function acceptUpgrades(server: http.Server, wss: WebSocketServer): void {
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
