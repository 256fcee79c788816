/** One HTTP POST to one upstream, with a deadline, classified into an answer or a `Failure`. */
import http from 'node:http';
import https from 'node:https';
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

/** Keep-alive connections to one upstream. Idle sockets close before common servers drop them (5 s). */
export function createAgent(url: string): http.Agent {
  const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 4_000 };
  return url.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
}

export interface PostOptions {
  agent: http.Agent;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function postJson(url: string, body: string, options: PostOptions): Promise<UpstreamResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (result: UpstreamResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (failure: Failure) => {
      finish({ ok: false, failure, latencyMs: elapsed() });
      req.destroy();
    };
    const transport = url.startsWith('https:') ? https : http;
    const req = transport.request(url, {
      method: 'POST',
      agent: options.agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => fail(timeoutFailure(options.timeoutMs, connected)), options.timeoutMs);
    const onAbort = () => fail({ kind: 'network', definite: !connected, detail: 'aborted by the caller' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
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
        const responseBody = Buffer.concat(chunks);
        const retryAfter = res.headers['retry-after'];
        const failure = statusFailure(status, parseRetryAfterMs(retryAfter));
        if (failure) finish({ ok: false, failure, latencyMs: elapsed(), body: responseBody });
        else
          finish({
            ok: true,
            status,
            body: responseBody,
            contentType: res.headers['content-type'],
            latencyMs: elapsed(),
          });
      });
    });
    req.end(body);
  });
}
