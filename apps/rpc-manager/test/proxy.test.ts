import { Connection } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createConnection, RpcPool, type RpcProxy, startProxy } from '../src/index.js';
import { captureLogger } from './capture-logger.js';
import { FakeUpstream } from './fake-upstream.js';
import { until } from './until.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Two upstreams (A preferred: B answers 30 ms slower), a started pool, and the proxy over it. */
async function setup(): Promise<{ a: FakeUpstream; b: FakeUpstream; pool: RpcPool; proxy: RpcProxy }> {
  const a = await FakeUpstream.start({ slot: 5_000, subIdBase: 100 });
  const b = await FakeUpstream.start({ slot: 5_000, subIdBase: 900 });
  cleanup.push(
    () => a.close(),
    () => b.close(),
  );
  b.behaviour = { kind: 'slow', delayMs: 30 };
  const pool = new RpcPool({
    endpoints: [
      { url: a.url, wsUrl: a.wsUrl, name: 'A' },
      { url: b.url, wsUrl: b.wsUrl, name: 'B' },
    ],
    logger: captureLogger('silent').logger,
    healthCheckMs: 0,
    requestTimeoutMs: 1_000,
    breaker: { failureThreshold: 1, openMs: 60_000 },
  });
  await pool.start();
  cleanup.push(() => pool.close());
  const proxy = await startProxy({
    pool,
    logger: captureLogger('silent').logger,
    port: 0,
    relay: { pingMs: 500 },
  });
  cleanup.push(() => proxy.close());
  return { a, b, pool, proxy };
}

function openClient(url: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] }> {
  const socket = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  cleanup.push(() => socket.terminate());
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

describe('a real web3.js Connection', () => {
  it('works through the fetch factory (library use)', async () => {
    const { a, pool } = await setup();
    const connection = createConnection(pool, { commitment: 'confirmed' });
    expect(await connection.getSlot()).toBe(5_000);
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    expect(blockhash).toBe('EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N');
    expect(lastValidBlockHeight).toBe(5_150);
    expect(a.count('getLatestBlockhash')).toBe(1);
  });

  it('works through the proxy, and keeps working when the preferred upstream dies', async () => {
    const { a, b, proxy } = await setup();
    const connection = new Connection(proxy.url, { wsEndpoint: proxy.wsUrl, disableRetryOnRateLimit: true });
    expect(await connection.getSlot()).toBe(5_000);
    expect(a.count('getSlot')).toBe(2); // probe + call
    await a.close();
    b.slot = 5_010;
    expect(await connection.getSlot()).toBe(5_010);
    expect((await connection.getLatestBlockhash()).blockhash).toBe(
      'EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N',
    );
  });

  it('gets onSlotChange notifications through the proxy WebSocket, across a failover', async () => {
    const { a, b, proxy } = await setup();
    const connection = new Connection(proxy.url, { wsEndpoint: proxy.wsUrl });
    const slots: number[] = [];
    const subscription = connection.onSlotChange((info) => slots.push(info.slot));
    cleanup.push(async () => {
      await connection.removeSlotChangeListener(subscription);
      // web3.js keeps its socket (and reconnects it) for a while after the last listener: close it
      // now, with the handshake done (code 1000), so it does not reconnect to the closed proxy.
      const ws = (connection as unknown as { _rpcWebSocket: { close(): void; socket?: unknown } })
        ._rpcWebSocket;
      ws.close();
      await until(() => ws.socket === undefined, 'the web3.js socket closed');
    });
    await until(() => a.subscriptions.size === 1, 'the subscription upstream on A');
    a.notifySlot(5_001);
    await until(() => slots.length === 1, 'the first notification');

    await a.close(); // A dies: the proxy re-subscribes on B
    await until(() => b.subscriptions.size === 1, 'the subscription re-established on B');
    b.notifySlot(5_002);
    await until(() => slots.length === 2, 'a notification from B');
    expect(slots).toEqual([5_001, 5_002]);
  });
});

describe('errors a web3.js user sees', () => {
  it('an ambiguous sendTransaction failure says the outcome is unknown, and was sent once', async () => {
    const { a, b, pool } = await setup();
    a.behaviour = { kind: 'drop' };
    a.only = ['sendTransaction'];
    const connection = createConnection(pool);
    const error = await connection
      .sendRawTransaction(Buffer.from([1, 2, 3]), { skipPreflight: true })
      .catch((e) => e);
    expect(String(error)).toMatch(/sendTransaction outcome unknown: A failed after the request was sent/);
    expect(a.count('sendTransaction') + b.count('sendTransaction')).toBe(1);
  });

  it('every endpoint down: the error names the endpoint and the reason', async () => {
    const { a, b, pool } = await setup();
    await Promise.all([a.close(), b.close()]);
    const connection = createConnection(pool);
    const error = await connection.getSlot().catch((e) => e);
    expect(String(error)).toMatch(/getSlot failed after 2 attempts; last: B: (ECONNRESET|ECONNREFUSED)/);
  });
});

describe('HTTP proxy', () => {
  it('answers a body that is not JSON-RPC itself, without bothering an upstream', async () => {
    const { a, b, proxy } = await setup();
    const before = a.calls.length + b.calls.length;
    const post = (body: string) => fetch(proxy.url, { method: 'POST', body });
    const notJson = await post('{"jsonrpc": "2.0", "method": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ id: null, error: { code: -32700 } });
    const noMethod = await post('[]');
    expect(noMethod.status).toBe(400);
    expect(await noMethod.json()).toMatchObject({ error: { code: -32600 } });
    expect(a.calls.length + b.calls.length).toBe(before);
  });

  it('serves /health and /status with endpoint labels', async () => {
    const { proxy } = await setup();
    expect(await (await fetch(`${proxy.url}/health`)).json()).toEqual({ status: 'ok' });
    const status = (await (await fetch(`${proxy.url}/status`)).json()) as { endpoints: { label: string }[] };
    expect(status.endpoints.map((e) => e.label)).toEqual(['A', 'B']);
  });
});

describe('WebSocket subscription relay', () => {
  it('keeps the client subscription id across a failover and maps notifications to it', async () => {
    const { a, b, proxy } = await setup();
    const { socket, messages } = await openClient(proxy.wsUrl);
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'slotSubscribe' }));
    await until(() => messages.length === 1, 'the subscribe reply');
    const subscriptionId = messages[0]?.result;
    expect(typeof subscriptionId).toBe('number');
    expect(subscriptionId).not.toBe(100); // the client never sees upstream ids

    a.notifySlot(7);
    await until(() => messages.length === 2, 'a notification from A');
    expect(messages[1]).toMatchObject({
      method: 'slotNotification',
      params: { subscription: subscriptionId },
    });

    a.dropWebSockets(); // only A's pubsub dies; its HTTP is fine
    await until(() => b.subscriptions.size === 1, 'the subscription moved to B', 3_000);
    expect([...b.subscriptions.keys()]).toEqual([900]);
    b.notifySlot(8);
    await until(() => messages.length === 3, 'a notification from B');
    expect(messages[2]).toMatchObject({
      method: 'slotNotification',
      params: { subscription: subscriptionId, result: { slot: 8 } },
    });

    socket.send(
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'slotUnsubscribe', params: [subscriptionId] }),
    );
    await until(() => messages.length === 4, 'the unsubscribe reply');
    expect(messages[3]).toEqual({ jsonrpc: '2.0', id: 2, result: true });
    await until(() => b.subscriptions.size === 0, 'the upstream unsubscribe');
  });

  it('fails over when the upstream stops answering pings', async () => {
    const { a, b, proxy } = await setup();
    const { socket, messages } = await openClient(proxy.wsUrl);
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'slotSubscribe' }));
    await until(() => messages.length === 1, 'the subscribe reply');
    a.freezeWebSockets();
    await until(() => b.subscriptions.size === 1, 'the subscription moved to B after missed pongs', 4_000);
  });

  it('answers bad client messages with JSON-RPC errors and keeps the connection', async () => {
    const { proxy } = await setup();
    const { socket, messages } = await openClient(proxy.wsUrl);
    socket.send('{not json');
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'slotUnsubscribe', params: [424242] }));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'getSlot' }));
    await until(() => messages.length === 3, 'three replies');
    expect(messages[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(messages[1]).toMatchObject({
      id: 3,
      error: { code: -32602, message: 'Invalid subscription id: 424242' },
    });
    expect(messages[2]).toEqual({ jsonrpc: '2.0', id: 4, result: 5_000 });
  });
});
