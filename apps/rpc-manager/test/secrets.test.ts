import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcPool, RpcPoolError, startProxy } from '../src/index.js';
import { captureLogger } from './capture-logger.js';
import { FakeUpstream } from './fake-upstream.js';
import { until } from './until.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const SECRETS = [
  'hunter2-basic-auth-password',
  'alice-the-user',
  'HELIUSKEY0123456789abcdefghijkl',
  'ALCHEMYKEY0123456789abcdefXYZ012',
  'QUICKNODE0123456789abcdefghijkl',
  'refusedKEY0123456789abcdefghijk',
];

it('never shows an API key from an upstream URL in logs, replies, errors or status', async () => {
  const [basic, path, query, dead] = await Promise.all([1, 2, 3, 4].map(() => FakeUpstream.start()));
  cleanup.push(...[basic, path, query].map((u) => () => u!.close()));
  await dead!.close();
  basic!.behaviour = { kind: 'status', status: 500 };
  path!.behaviour = { kind: 'drop' };
  query!.behaviour = { kind: 'hang' };
  const port = (u: FakeUpstream) => new URL(u.url).port;
  const endpoints = [
    {
      url: `http://alice-the-user:hunter2-basic-auth-password@127.0.0.1:${port(basic!)}/?api-key=${SECRETS[2]}`,
    },
    { url: `http://127.0.0.1:${port(path!)}/v2/${SECRETS[3]}` },
    { url: `http://127.0.0.1:${port(query!)}/${SECRETS[4]}/?apikey=short` },
    { url: `http://127.0.0.1:${port(dead!)}/?api-key=${SECRETS[5]}` },
  ];
  const captured = captureLogger('trace');
  const pool = new RpcPool({
    endpoints,
    logger: captured.logger,
    healthCheckMs: 0,
    probeTimeoutMs: 100,
    requestTimeoutMs: 100,
    maxAttempts: 4,
    breaker: { failureThreshold: 1, openMs: 60_000 },
  });
  cleanup.push(() => pool.close());
  const proxy = await startProxy({ pool, logger: captured.logger, port: 0, relay: { pingMs: 200 } });
  cleanup.push(() => proxy.close());

  const seen: string[] = [];
  await pool.probeAll();
  for (const method of ['getSlot', 'sendTransaction']) {
    const reply = await pool.request(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }));
    seen.push(reply.body.toString(), reply.endpoint ?? '');
  }
  const error = await pool.call('getBalance', ['x']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RpcPoolError);
  seen.push(String(error), (error as Error).stack ?? '');
  const viaProxy = await fetch(proxy.url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'getSlot' }),
  });
  seen.push(await viaProxy.text(), await (await fetch(`${proxy.url}/status`)).text());

  // A WebSocket client makes the relay try (and fail) every upstream's pubsub.
  const client = new WebSocket(proxy.wsUrl);
  cleanup.push(() => client.terminate());
  await new Promise((r) => client.once('open', r));
  client.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'slotSubscribe' }));
  await until(
    () => captured.lines.filter((l) => l.includes('websocket upstream lost')).length >= 2,
    'the relay failing over twice',
  );

  seen.push(captured.text());
  const everything = seen.join('\n');
  for (const secret of SECRETS) expect(everything).not.toContain(secret);
  // Not vacuous: the failures were logged, under redacted labels.
  expect(captured.text()).toContain('rpc endpoint circuit opened');
  expect(everything).toContain('[redacted]');
  expect(captured.text()).toContain(`127.0.0.1:${port(path!)}/v2/[redacted]`);
});
