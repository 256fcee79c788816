/**
 * The end-to-end suite's "only upstream answers 429" fault, in small: every request through the
 * proxy gets the upstream's 429 within the bound README "Retry rules" states, although the other
 * requests' 429s (and the probes', every 250 ms here, 1 s in the fleet) renew the cool-down a
 * request waits for. Before the fix, no request was ever answered.
 */
import { afterEach, expect, it } from 'vitest';
import { RpcPool, startProxy } from '../src/index.js';
import { captureLogger } from './capture-logger.js';
import { FakeUpstream } from './fake-upstream.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

it('answers the upstream 429 after maxAttempts, within the documented bound, to concurrent requests', async () => {
  const upstream = await FakeUpstream.start();
  cleanup.push(() => upstream.close());
  const pool = new RpcPool({
    endpoints: [{ url: upstream.url, name: 'only' }],
    logger: captureLogger('silent').logger,
    healthCheckMs: 250,
    maxAttempts: 4,
    backoff: { baseMs: 250, capMs: 10_000 },
  });
  await pool.start();
  cleanup.push(() => pool.close());
  const proxy = await startProxy({ pool, logger: captureLogger('silent').logger, port: 0, wsPort: false });
  cleanup.push(() => proxy.close());
  upstream.behaviour = { kind: 'status', status: 429, retryAfter: '1' };

  // Probes never call getLatestBlockhash: its count is the requests' attempts.
  const call = async (id: number) => {
    const started = Date.now();
    const res = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'getLatestBlockhash', params: [] }),
      signal: AbortSignal.timeout(12_000),
    });
    return { res, body: await res.json(), ms: Date.now() - started };
  };
  const replies = await Promise.all([call(1), call(2), call(3)]);

  // Bound (README): (maxAttempts - 1) waits of max(min(Retry-After, capMs), backoff step) = 3 x 1 s,
  // plus the attempts themselves (a few ms each on loopback).
  for (const [i, { res, body, ms }] of replies.entries()) {
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(body).toEqual({ jsonrpc: '2.0', id: i + 1, error: { code: -32000, message: 'HTTP 429' } });
    expect(ms).toBeGreaterThanOrEqual(2_900); // Retry-After honoured before each retry
    expect(ms).toBeLessThan(4_500);
  }
  expect(upstream.count('getLatestBlockhash')).toBe(3 * 4);
}, 15_000);
