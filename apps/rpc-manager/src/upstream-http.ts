/** One HTTP POST to one upstream, with a deadline, classified into an answer or a `Failure`. */
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { parseRetryAfterMs } from './backoff.js';
import { type Failure, networkFailure, statusFailure, timeoutFailure } from './failure.js';

export interface UpstreamAnswer {
  ok: true;
  status: number;
  body: Buffer;
  contentType: string | undefined;
  latencyMs: number;
}

export interface UpstreamFailure {
  ok: false;
  failure: Failure;
  latencyMs: number;
  /** The failing response's body (e.g. a 429's JSON), to pass on if it is the last word. */
  body?: Buffer;
}

export type UpstreamResult = UpstreamAnswer | UpstreamFailure;

/**
 * One upstream's keep-alive connections and its request options, parsed once: a URL string given
 * to `http.request` is parsed again on every call.
 */
export interface Upstream {
  readonly agent: http.Agent;
  readonly request: typeof http.request;
  readonly options: Readonly<http.RequestOptions>;
}

/**
 * Idle sockets close after 4 s, before common servers drop them (5 s). Every socket a burst opened
 * is kept for reuse until then (maxFreeSockets = maxSockets): closing the surplus at once meant
 * opening it again at the next burst (hundreds of connections a second under load, and a TLS
 * handshake each for an https upstream).
 */
export function createUpstream(url: string): Upstream {
  const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: 4_000 };
  const secure = url.startsWith('https:');
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  return {
    agent,
    request: secure ? https.request : http.request,
    options: { ...urlToHttpOptions(new URL(url)), method: 'POST', agent },
  };
}

export function postJson(
  upstream: Upstream,
  body: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<UpstreamResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (result: UpstreamResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (failure: Failure) => {
      finish({ ok: false, failure, latencyMs: elapsed() });
      req.destroy();
    };
    const req = upstream.request({
      ...upstream.options,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => fail(timeoutFailure(timeoutMs, connected)), timeoutMs);
    const onAbort = () => fail({ kind: 'network', definite: !connected, detail: 'aborted by the caller' });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(networkFailure(err.code, connected)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err: NodeJS.ErrnoException) => fail(networkFailure(err.code, true)));
      res.on('close', () => {
        if (!res.complete) fail(networkFailure('ECONNRESET', true));
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const responseBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const failure =
          status < 400 ? undefined : statusFailure(status, parseRetryAfterMs(rawHeader(res, 'retry-after')));
        if (failure) finish({ ok: false, failure, latencyMs: elapsed(), body: responseBody });
        else
          finish({
            ok: true,
            status,
            body: responseBody,
            contentType: rawHeader(res, 'content-type'),
            latencyMs: elapsed(),
          });
      });
    });
    req.end(body);
  });
}

/** A header's first value, read from the raw list: `res.headers` builds an object of all of them. */
function rawHeader(res: http.IncomingMessage, lowerCaseName: string): string | undefined {
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerCaseName.length && name.toLowerCase() === lowerCaseName) return raw[i + 1];
  }
  return undefined;
}
