/**
 * The engine behind a loopback HTTP + WebSocket API, shared by the fleet's processes as
 * sub-accounts. WebSocket: requests `{ id, type, ...params }` answered `{ id, ok, result | error }`,
 * plus `{ type: "event", event }` pushes per subscription. HTTP: `GET /health`,
 * `GET /history?afterSeq=N&limit=M`, `POST /rpc` (one request as the body), `POST /solana` (a
 * Solana-compatible JSON-RPC for rpc-manager in paper mode, see solana-rpc.ts). A malformed message gets an
 * error naming the field and value; the connection and everyone else carry on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerLike } from '@drift/logging';
import { errorMessage } from '@drift/logging';
import { WebSocket, WebSocketServer } from 'ws';
import { type SimSubscription, wants } from './api.js';
import type { SimEngineConfig } from './config.js';
import { dispatch, historyPage, readSubscription } from './dispatch.js';
import { SimEngine, type SimEvent } from './engine.js';
import { silentLogger } from './log.js';
import { handleSolanaRpc } from './solana-rpc.js';
import { encodeWire, Reader, WireError } from './wire.js';

export interface SimServerOptions {
  /** 0 = any free port. */
  port: number;
  /** Loopback by default; the API has no authentication. */
  host?: string;
  /** An existing engine (tests drive its clock), or a config to build one. */
  engine?: SimEngine;
  config?: SimEngineConfig;
  /** Run the engine's clock on wall time at this multiplier (omit for a clock the caller drives). */
  speed?: number;
  logger?: LoggerLike;
}

export interface SimServer {
  /** WebSocket URL (`ws://127.0.0.1:port`). */
  url: string;
  /** HTTP base URL (`http://127.0.0.1:port`). */
  httpUrl: string;
  port: number;
  engine: SimEngine;
  close(): Promise<void>;
}

interface Connection {
  subscription: SimSubscription;
}

const MAX_BODY = 1_000_000;
/** Unread event bytes after which a client is dropped. */
const MAX_BUFFERED = 64 * 1024 * 1024;

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const logger = (options.logger ?? silentLogger).child({ component: 'sim-server' });
  const engine =
    options.engine ??
    (options.config
      ? new SimEngine(options.config, options.logger)
      : (() => {
          throw new RangeError('startSimServer needs an engine or a config');
        })());
  const host = options.host ?? '127.0.0.1';
  const connections = new Map<WebSocket, Connection>();

  const http = createServer((req, res) => {
    handleHttp(engine, req, res, logger).catch((err) => {
      logger.error({ err }, 'http request failed');
      if (!res.headersSent) reply(res, 500, { ok: false, error: { message: 'internal error' } });
    });
  });
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_BODY });

  wss.on('connection', (ws) => {
    const connection: Connection = { subscription: {} };
    connections.set(ws, connection);
    ws.on('message', (data) => {
      const text = String(data);
      const response = handleMessage(engine, connection, text, logger);
      ws.send(response);
    });
    ws.on('close', () => connections.delete(ws));
    ws.on('error', (err) => logger.warn({ err }, 'websocket error'));
  });

  const unsubscribe = engine.subscribe((event: SimEvent) => {
    let encoded: string | undefined;
    for (const [ws, connection] of connections) {
      if (ws.readyState !== WebSocket.OPEN || !wants(connection.subscription, event)) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        // A client that stopped reading would grow this process without bound: drop it (it may reconnect).
        logger.warn({ bufferedBytes: ws.bufferedAmount }, 'dropping a client that does not read its events');
        ws.terminate();
        continue;
      }
      encoded ??= encodeWire({ type: 'event', event });
      ws.send(encoded);
    }
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  if (options.speed !== undefined) engine.startRealtime(options.speed);
  logger.info({ host, port, markets: engine.markets().map((m) => m.symbol) }, 'sim server listening');

  return {
    url: `ws://${host}:${port}`,
    httpUrl: `http://${host}:${port}`,
    port,
    engine,
    close: async () => {
      if (options.speed !== undefined) engine.stopRealtime();
      unsubscribe();
      for (const ws of connections.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      // What was left resting: after a fleet stop the bots' sub-accounts should have nothing open.
      const openOrders: Record<string, number> = {};
      for (const order of engine.openOrdersList()) {
        const sub = String(order.subAccount);
        openOrders[sub] = (openOrders[sub] ?? 0) + 1;
      }
      logger.info({ port, openOrders }, 'sim server closed');
    },
  };
}

/** Answers one WebSocket message; never throws. */
function handleMessage(engine: SimEngine, connection: Connection, text: string, logger: LoggerLike): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return errorReply(null, new WireError('message', text, 'is not JSON'), logger);
  }
  const id = idOf(parsed);
  try {
    const request = new Reader(parsed);
    if (request.raw('type') === 'subscribe') {
      connection.subscription = readSubscription(request);
      return encodeWire({ id, ok: true, result: true });
    }
    return encodeWire({ id, ok: true, result: dispatch(engine, request) });
  } catch (err) {
    return errorReply(id, err, logger);
  }
}

function idOf(parsed: unknown): number | string | null {
  if (typeof parsed !== 'object' || parsed === null) return null;
  const id = (parsed as Record<string, unknown>).id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

function errorReply(id: number | string | null, err: unknown, logger: LoggerLike): string {
  if (err instanceof WireError) {
    logger.warn({ field: err.field, problem: err.message }, 'bad request');
    const value = typeof err.value === 'string' ? err.value.slice(0, 200) : err.value;
    return encodeWire({ id, ok: false, error: { field: err.field, value, message: err.message } });
  }
  logger.error({ err }, 'request failed');
  return encodeWire({ id, ok: false, error: { message: errorMessage(err) } });
}

async function handleHttp(engine: SimEngine, req: IncomingMessage, res: ServerResponse, logger: LoggerLike) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') {
    return reply(res, 200, { ok: true, clock: engine.clock(), halted: engine.halted() ?? null });
  }
  if (req.method === 'GET' && url.pathname === '/history') {
    const query: Record<string, number> = {};
    for (const field of ['afterSeq', 'limit'] as const) {
      const value = url.searchParams.get(field);
      if (value === null) continue;
      if (!/^\d+$/.test(value)) {
        return reply(res, 400, {
          ok: false,
          error: { field, value, message: `${field}: ${JSON.stringify(value)} is not an integer >= 0` },
        });
      }
      query[field] = Number(value);
    }
    return reply(res, 200, historyPage(engine, query.afterSeq ?? 0, query.limit));
  }
  if (req.method === 'POST' && url.pathname === '/rpc') {
    let body = '';
    for await (const chunk of req) {
      body += chunk;
      if (body.length > MAX_BODY) return reply(res, 413, { ok: false, error: { message: 'body too large' } });
    }
    const response = handleMessage(engine, { subscription: {} }, body, logger);
    res.writeHead(JSON.parse(response).ok ? 200 : 400, { 'content-type': 'application/json' });
    return res.end(response);
  }
  if (req.method === 'POST' && url.pathname === '/solana') {
    let body = '';
    for await (const chunk of req) {
      body += chunk;
      if (body.length > MAX_BODY) return reply(res, 413, { ok: false, error: { message: 'body too large' } });
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(handleSolanaRpc(engine, body));
  }
  return reply(res, 404, { ok: false, error: { message: `no route ${req.method} ${url.pathname}` } });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(encodeWire(body));
}
