/** The pool as a `fetch` and as a `@solana/web3.js` `Connection`, without a proxy in between. */
import { STATUS_CODES } from 'node:http';
import { Connection, type ConnectionConfig } from '@solana/web3.js';
import type { PoolReply, RpcPool } from './pool.js';

/** web3.js needs a URL; requests never go to it: the pool's fetch ignores it. */
const POOL_PLACEHOLDER_URL = 'http://rpc-manager.pool.invalid';

/** A `fetch` that sends every JSON-RPC POST body through the pool, whatever URL it is given. */
export function createPoolFetch(pool: RpcPool): typeof fetch {
  return async (_input, init) => {
    const body = await bodyText(init?.body);
    const reply = await pool.request(body, init?.signal ? { signal: init.signal } : {});
    return toResponse(reply);
  };
}

/**
 * A web3.js `Connection` whose HTTP calls go through the pool (with its retries and failover).
 * Subscriptions use `config.wsEndpoint`: point it at the proxy (`proxy.wsUrl`) to get failover for
 * them too; by default they go straight to the endpoint that is best now, without failover.
 * web3.js's own 429 retry loop is off by default: the pool already retries, honouring Retry-After.
 */
export function createConnection(pool: RpcPool, config: ConnectionConfig = {}): Connection {
  return new Connection(POOL_PLACEHOLDER_URL, {
    disableRetryOnRateLimit: true,
    wsEndpoint: (pool.best() ?? pool.endpoints[0])?.wsUrl,
    ...config,
    fetch: createPoolFetch(pool),
  });
}

export function toResponse(reply: PoolReply): Response {
  const headers = new Headers({ 'content-type': reply.contentType });
  if (reply.retryAfterSeconds !== undefined) headers.set('retry-after', String(reply.retryAfterSeconds));
  const body = typeof reply.body === 'string' ? reply.body : new Uint8Array(reply.body);
  return new Response(body, { status: reply.status, statusText: STATUS_CODES[reply.status] ?? '', headers });
}

async function bodyText(body: RequestInit['body']): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  return new Response(body).text();
}
