/**
 * The orchestrator's loopback HTTP API, metrics and dashboard:
 *   GET  /                         dashboard (one static page)
 *   GET  /api/status               fleet and per-app status
 *   GET  /api/logs                 latest warnings and errors from the apps' log files
 *   GET  /metrics                  Prometheus
 *   POST /api/apps/:name/start|stop|restart    (token)
 *   POST /api/risk/reset  {"by": "alice"}      (token)
 * Errors are JSON `{ "error": "..." }` naming the problem. The token is never logged or echoed.
 * Listening beyond loopback (configured on purpose), the GET endpoints need the token as well.
 * Against DNS rebinding, a request whose `Host` is not the configured address (or, on loopback,
 * `localhost`) is refused; no page may frame the dashboard (CSP `frame-ancestors 'none'`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DriftError, errorMessage, type Logger } from '@drift/logging';
import type { Registry } from 'prom-client';
import { tokenMatches } from './api-token.js';
import { type Fleet, UnknownAppError } from './fleet.js';
import type { LogFeed } from './log-feed.js';
import { fleetStatus } from './status.js';

export interface ApiServerOptions {
  fleet: Fleet;
  token: string;
  registry: Registry;
  logFeed?: LogFeed;
  logger: Logger;
  host: string;
  port: number;
  /** Reads need the token too (default: when `host` is not loopback). */
  tokenForReads?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface ApiServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const ACTIONS = new Set(['start', 'stop', 'restart']);
const OPERATOR = /^[\w .@-]{1,64}$/;
const dashboardHtml = readFileSync(new URL('./dashboard.html', import.meta.url), 'utf8');

class HttpError extends DriftError {
  override readonly code = 'DRIFT_ERR_API_REQUEST_REFUSED';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Host headers a request may carry; null: any (a wildcard address, where reads need the token). */
function hostsFor(host: string, port: number): Set<string> | null {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return null;
  const bare = host.replace(/^\[|\]$/g, '');
  const names = LOOPBACK.has(host)
    ? ['127.0.0.1', 'localhost', '[::1]']
    : [bare.includes(':') ? `[${bare}]` : bare];
  return new Set(names.map((n) => `${n}:${port}`.toLowerCase()));
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  let allowedHosts: Set<string> | null = new Set();
  const server = createServer((req, res) => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (allowedHosts && !allowedHosts.has(hostHeader))
      return sendJson(res, 421, {
        error: `Host ${JSON.stringify(hostHeader.slice(0, 100))} is not this API's address (${[...allowedHosts].join(', ')})`,
      });
    handle(req, res, opts).catch((err: unknown) => {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
      opts.logger.error({ err, method: req.method, url: req.url?.slice(0, 200) }, 'API request failed');
      sendJson(res, 500, { error: 'internal error (see the orchestrator log)' });
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host}:${port}`;
  allowedHosts = hostsFor(opts.host, port);
  opts.logger.info({ url }, 'API, metrics and dashboard listening');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    throw new HttpError(400, 'malformed request target');
  }
}

function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `${what} ${JSON.stringify(segment.slice(0, 80))} is not valid percent-encoding`);
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions): Promise<void> {
  const path = pathOf(req);
  const method = req.method ?? 'GET';
  const { fleet } = opts;

  if (method === 'GET' || method === 'HEAD') {
    // Beyond loopback, reading the fleet (positions, PnL) needs the token too; the page itself does not.
    const isPage = path === '/' || path === '/index.html';
    if (!isPage && (opts.tokenForReads ?? !LOOPBACK.has(opts.host))) checkToken(req, opts.token);
    if (isPage) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy':
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ...SECURITY_HEADERS,
      });
      res.end(dashboardHtml);
      return;
    }
    if (path === '/api/status') return sendJson(res, 200, fleetStatus(fleet));
    if (path === '/api/logs') return sendJson(res, 200, { problems: opts.logFeed?.problems(100) ?? [] });
    if (path === '/metrics') {
      const body = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType, ...SECURITY_HEADERS });
      res.end(body);
      return;
    }
  }

  const appRoute = /^\/api\/apps\/([^/]+)\/([^/]+)$/.exec(path);
  const isMutation = appRoute !== null || path === '/api/risk/reset';
  if (!isMutation) throw new HttpError(404, `no such endpoint: ${method} ${path}`);
  if (method !== 'POST') throw new HttpError(405, `${path} takes POST, not ${method}`);
  checkToken(req, opts.token);
  const body = await readJsonBody(req);

  if (appRoute) {
    const name = decodeSegment(appRoute[1] as string, 'app name');
    const action = appRoute[2] as string;
    if (!ACTIONS.has(action))
      throw new HttpError(404, `unknown action ${JSON.stringify(action)}: use start|stop|restart`);
    let app: ReturnType<Fleet['app']>;
    try {
      app = fleet.app(name);
    } catch (err) {
      if (err instanceof UnknownAppError)
        throw new HttpError(
          404,
          `unknown app ${JSON.stringify(name)}: the fleet has ${fleet.apps.map((a) => a.name).join(', ')}`,
        );
      throw err;
    }
    if (fleet.isStopping) throw new HttpError(409, 'the fleet is stopping');
    opts.logger.info({ child: name, action, by: operatorOf(body) }, 'operator request');
    if (action === 'start') app.start();
    else if (action === 'stop') await app.stop('stopped by operator');
    else await app.restart();
    return sendJson(res, 200, { ok: true, app: app.snapshot() });
  }

  const by = operatorOf(body);
  try {
    fleet.resetRisk(by);
  } catch (err) {
    throw new HttpError(409, errorMessage(err));
  }
  return sendJson(res, 202, { ok: true, requested: 'reset', by, riskState: fleet.riskVerdict.state });
}

function checkToken(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  if (!header) throw new HttpError(401, 'missing token: send "Authorization: Bearer <token>"');
  const match = /^Bearer (.+)$/.exec(header);
  if (!match) throw new HttpError(401, 'malformed Authorization header: expected "Bearer <token>"');
  if (!tokenMatches(match[1] as string, token)) throw new HttpError(401, 'wrong token');
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${errorMessage(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HttpError(400, 'request body is not a JSON object');
  return value as Record<string, unknown>;
}

function operatorOf(body: Record<string, unknown>): string {
  const by = body.by;
  if (by === undefined) return 'api';
  if (typeof by !== 'string' || !OPERATOR.test(by))
    throw new HttpError(
      400,
      `by: ${JSON.stringify(by).slice(0, 80)} is not an operator name (1-64 letters, digits, " .@-_")`,
    );
  return by;
}

/** On every response: never framed, never sniffed as another type. */
const SECURITY_HEADERS = { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...SECURITY_HEADERS,
  });
  res.end(text);
}
