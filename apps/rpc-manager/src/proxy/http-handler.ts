/** The proxy's HTTP side: JSON-RPC POSTs go through the pool; GET /health and /status for operators. */
import type http from 'node:http';
import type { Logger } from 'pino';
import { errorReply, malformedReply } from '../json-rpc.js';
import type { RpcPool } from '../pool.js';

/** Larger bodies are refused (a Solana transaction is at most 1232 bytes; batches stay small). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function createHttpHandler(pool: RpcPool, logger: Logger): http.RequestListener {
  return (req, res) => {
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/status')) {
      const endpoints = pool.status();
      const usable = pool.best() !== undefined;
      const payload =
        req.url === '/health' ? { status: usable ? 'ok' : 'no usable endpoint' } : { usable, endpoints };
      sendJson(res, usable || req.url === '/status' ? 200 : 503, JSON.stringify(payload));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' });
      res.end('POST a JSON-RPC request (or GET /health, /status)\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        sendJson(res, 413, errorReply('', -32600, `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const malformed = malformedReply(body);
      if (malformed !== undefined) {
        sendJson(res, 400, malformed);
        return;
      }
      // No abort on client disconnect: an AbortController per request costs more than the rare
      // wasted upstream call it would save, and a started sendTransaction must finish anyway.
      pool.request(body).then(
        (reply) => {
          if (res.destroyed) return;
          const headers: http.OutgoingHttpHeaders = { 'content-type': reply.contentType };
          if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
          res.writeHead(reply.status, headers);
          res.end(reply.body);
        },
        (err: unknown) => {
          logger.error({ err }, 'rpc proxy request failed');
          sendJson(res, 500, errorReply(body, -32603, 'internal proxy error'));
        },
      );
    });
  };
}

function sendJson(res: http.ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}
