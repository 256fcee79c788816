/** The proxy's HTTP side: JSON-RPC POSTs go through the pool; GET /health and /status for operators. */
import type http from 'node:http';
import type { Logger } from 'pino';
import { errorReply, parseRequest } from '../json-rpc.js';
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
      const body = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString();
      const calls = parseRequest(body);
      if (typeof calls === 'string') {
        sendJson(res, 400, calls);
        return;
      }
      // No abort on client disconnect: an AbortController per request costs more than the rare
      // wasted upstream call it would save, and a started sendTransaction must finish anyway.
      pool.request(body, { calls }).then(
        (reply) => {
          if (res.destroyed) return;
          // A length rather than chunked encoding: fewer bytes to write and for the client to parse.
          const length = typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length;
          if (reply.retryAfterSeconds === undefined)
            res.writeHead(reply.status, [
              'content-type',
              reply.contentType,
              'content-length',
              String(length),
            ]);
          else
            res.writeHead(reply.status, [
              'content-type',
              reply.contentType,
              'content-length',
              String(length),
              'retry-after',
              String(reply.retryAfterSeconds),
            ]);
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
