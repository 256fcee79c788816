/**
 * The loopback JSON-RPC proxy: HTTP POSTs go through the pool; WebSocket subscriptions are relayed
 * with failover. WebSockets are accepted on the HTTP port (upgrade) and, as `@solana/web3.js`
 * expects for an URL with an explicit port, on port + 1 (`wsPort`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { RpcPool } from '../pool.js';
import { createHttpHandler } from './http-handler.js';
import { type RelayOptions, SubscriptionRelay } from './subscription-relay.js';

export interface ProxyOptions {
  pool: RpcPool;
  logger: Logger;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0: chosen by the OS. */
  port: number;
  /** Second WebSocket port: default port + 1 (0 when port is 0); `false`: none. */
  wsPort?: number | false;
  relay?: Partial<RelayOptions>;
}

export interface RpcProxy {
  /** `http://host:port`: give it to `new Connection(url, { wsEndpoint })`. */
  readonly url: string;
  /** The WebSocket URL to use for subscriptions (the `wsPort` listener, or the HTTP port). */
  readonly wsUrl: string;
  readonly port: number;
  readonly wsPort: number | undefined;
  /** Client WebSockets open now. */
  connections(): number;
  close(): Promise<void>;
}

export const RELAY_DEFAULTS: RelayOptions = {
  pingMs: 5_000,
  reconnect: { baseMs: 100, capMs: 5_000 },
  avoidFailedMs: 10_000,
};

export async function startProxy(options: ProxyOptions): Promise<RpcProxy> {
  const log = options.logger.child({ component: 'rpc-manager' });
  const host = options.host ?? '127.0.0.1';
  const relayOptions: RelayOptions = { ...RELAY_DEFAULTS, ...options.relay };
  const relays = new Set<SubscriptionRelay>();
  // noServer: a listen error stays the caller's to handle instead of becoming an unhandled 'error' on ws.
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket) => {
    const relay = new SubscriptionRelay(socket, options.pool, log, relayOptions);
    relays.add(relay);
    socket.on('close', () => relays.delete(relay));
  });
  const accept = (server: http.Server) =>
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    );

  const server = http.createServer(createHttpHandler(options.pool, log));
  // Longer than web3.js keeps idle sockets (19 s), so a client never reuses one the proxy closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  accept(server);
  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;

  let wsServer: http.Server | undefined;
  let wsPort: number | undefined;
  if (options.wsPort !== false) {
    wsServer = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('WebSocket only: JSON-RPC over HTTP is on the proxy port\n');
    });
    accept(wsServer);
    try {
      await listen(wsServer, options.wsPort ?? (options.port === 0 ? 0 : port + 1), host);
    } catch (err) {
      await closeServer(server);
      throw err;
    }
    wsPort = (wsServer.address() as AddressInfo).port;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${wsPort ?? port}`,
    port,
    wsPort,
    connections: () => relays.size,
    async close() {
      for (const relay of relays) relay.close();
      wss.close();
      await Promise.all([closeServer(server), wsServer ? closeServer(wsServer) : undefined]);
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
