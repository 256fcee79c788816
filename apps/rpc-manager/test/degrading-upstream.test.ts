/**
 * The end-to-end suite's RPC fault, in small: the preferred upstream turns slow, then answers 429,
 * then dies, while a bot's web3.js Connection calls and subscribes through the proxy. Upstreams are
 * configured by HTTP URL only: their pubsub is found on port + 1, as in production.
 */
import { Connection } from '@solana/web3.js';
import { afterEach, expect, it } from 'vitest';
import { RpcPool, startProxy } from '../src/index.js';
import { captureLogger } from './capture-logger.js';
import { CONTROL_PATH, FakeUpstream } from './fake-upstream.js';
import { until } from './until.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

it('a Connection through the proxy keeps answering and notifying while its upstream goes slow, 429, dead', async () => {
  const a = await FakeUpstream.start({ pairedWsPort: true, slotMs: 50, slot: 10_000, subIdBase: 100 });
  const b = await FakeUpstream.start({ pairedWsPort: true, slotMs: 50, slot: 10_000, subIdBase: 900 });
  cleanup.push(
    () => a.close(),
    () => b.close(),
  );
  b.behaviour = { kind: 'slow', delayMs: 20 }; // A is preferred at first
  const log = captureLogger('info');
  const pool = new RpcPool({
    endpoints: [
      { url: a.url, name: 'A' },
      { url: b.url, name: 'B' },
    ],
    logger: log.logger,
    healthCheckMs: 200,
    requestTimeoutMs: 1_000,
    breaker: { failureThreshold: 2, openMs: 10_000 },
  });
  await pool.start();
  cleanup.push(() => pool.close());
  const proxy = await startProxy({ pool, logger: log.logger, port: 0, relay: { pingMs: 300 } });
  cleanup.push(() => proxy.close());

  const connection = new Connection(proxy.url, { wsEndpoint: proxy.wsUrl, disableRetryOnRateLimit: true });
  const slots: number[] = [];
  const subscription = connection.onSlotChange((s) => slots.push(s.slot));
  cleanup.push(async () => {
    await connection.removeSlotChangeListener(subscription);
    const ws = (connection as unknown as { _rpcWebSocket: { close(): void; socket?: unknown } })
      ._rpcWebSocket;
    ws.close();
    await until(() => ws.socket === undefined, 'the web3.js socket closed');
  });
  await until(() => a.subscriptions.size === 1, 'the slot subscription on A');
  await connection.getLatestBlockhash(); // probes never call it: its count shows the routing
  expect([a.count('getLatestBlockhash'), b.count('getLatestBlockhash')]).toEqual([1, 0]);

  // Slow: A's latency average climbs past B's, and calls move to B.
  await fetch(a.url + CONTROL_PATH, {
    method: 'POST',
    body: JSON.stringify({ behaviour: { kind: 'slow', delayMs: 250 } }),
  });
  for (let i = 0; i < 3; i++) await connection.getLatestBlockhash();
  const before = [a.count('getLatestBlockhash'), b.count('getLatestBlockhash')];
  await connection.getLatestBlockhash();
  expect([a.count('getLatestBlockhash'), b.count('getLatestBlockhash')]).toEqual([before[0], before[1]! + 1]);

  // 429: still answered (by B).
  a.behaviour = { kind: 'status', status: 429, retryAfter: '5' };
  expect(await connection.getSlot()).toBeGreaterThan(10_000);

  // Dead: HTTP and pubsub gone; calls still answered, notifications continue from B.
  await a.close();
  expect(await connection.getSlot()).toBeGreaterThan(10_000);
  await until(() => b.subscriptions.size === 1, 'the slot subscription moved to B');
  const seen = slots.length;
  await until(() => slots.length >= seen + 3, 'notifications from B');
  expect(slots.at(-1)).toBe(b.slot);
  expect(log.text()).toContain('rpc proxy websocket upstream lost; failing over');
});
