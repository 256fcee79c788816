import type { TakerOrder } from '@drift/domain';
import { recordingLogger } from '@drift/test-support';
import { Keypair } from '@solana/web3.js';
import { offlineDriftClient } from 'drift-client/live';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SwiftClient, type SwiftClientEvent } from '../src/swift-client.js';
import { signedOrderFrame, takerClient } from './orders.js';
import { SwiftServerDouble } from './swift-server.js';

const decoder = offlineDriftClient('devnet', 'http://127.0.0.1:9');
const SOL = {
  marketIndex: 0,
  direction: 'long' as const,
  baseAssetAmount: 2_500_000_000n,
  price: 151_000_000n,
  auctionStartPrice: 150_100_000n,
  auctionEndPrice: 151_000_000n,
  auctionDuration: 10,
  slot: 4242,
};

let server: SwiftServerDouble;
let client: SwiftClient | undefined;

beforeEach(async () => {
  server = new SwiftServerDouble(40);
  await server.start();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

function makeClient(
  url = server.url,
  opts: Partial<ConstructorParameters<typeof SwiftClient>[0]> = {},
): SwiftClient {
  client = new SwiftClient({
    url,
    env: 'devnet',
    keypair: Keypair.generate(),
    decoder,
    logger: recordingLogger(),
    reconnect: { baseMs: 20, capMs: 100 },
    heartbeatTimeoutMs: 600,
    ...opts,
  });
  return client;
}

function events(c: SwiftClient): SwiftClientEvent[] {
  const list: SwiftClientEvent[] = [];
  c.onStatus((e) => list.push(e));
  return list;
}

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SwiftClient against a loopback Swift server', () => {
  it('signs the nonce with the maker key, subscribes, and delivers verified decoded orders', async () => {
    const c = makeClient();
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    await until(() => server.live()[0]?.subscriptions.includes('SOL-PERP') ?? false, 'subscription');
    const conn = server.live()[0];
    expect(conn?.pubkey).toBe(c.connectUrl.split('pubkey=')[1]);
    expect(server.failedAuths).toEqual([]);

    const taker = Keypair.generate();
    const frame = signedOrderFrame(takerClient(taker), SOL);
    server.publish('SOL-PERP', frame);
    await until(() => orders.length === 1, 'order');
    const order = orders[0] as TakerOrder;
    expect(order).toMatchObject({
      uuid: frame.uuid,
      source: 'swift',
      market: 'SOL-PERP',
      side: 'buy',
      baseAmount: 2_500_000_000n,
      auction: { startPrice: 150_100_000n, endPrice: 151_000_000n, startSlot: 4242, durationSlots: 10 },
      taker: taker.publicKey.toBase58(),
    });
    // The bytes kept are the signed ones, so drift-client can place-and-make with them.
    expect(Buffer.from(order.message ?? []).toString()).toBe(frame.order_message);
  });

  it('honours a custom endpoint exactly (path and query), never a public server', async () => {
    const c = makeClient(`${server.url}/custom/ws?region=test`);
    c.subscribe(['SOL-PERP'], () => undefined);
    await until(() => server.live().length === 1, 'connection');
    expect(server.live()[0]?.path).toMatch(/^\/custom\/ws\?region=test&pubkey=/);
    expect(c.connectUrl.startsWith(`${server.url}/custom/ws`)).toBe(true);
  });

  it('rejects a bad signature, a signer that is not the taker, and a tampered message', async () => {
    const c = makeClient();
    const seen = events(c);
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    await until(() => server.live()[0]?.subscriptions.includes('SOL-PERP') ?? false, 'subscription');
    const taker = takerClient(Keypair.generate());

    const forged = signedOrderFrame(taker, SOL);
    const sig = Buffer.from(forged.order_signature as string, 'base64');
    sig[0] = (sig[0] ?? 0) ^ 0xff;
    server.publish('SOL-PERP', { ...forged, order_signature: sig.toString('base64') });

    const other = signedOrderFrame(takerClient(Keypair.generate()), SOL);
    server.publish('SOL-PERP', { ...other, taker_authority: taker.wallet.publicKey.toBase58() });

    const tampered = signedOrderFrame(taker, SOL);
    const text = tampered.order_message as string;
    server.publish('SOL-PERP', { ...tampered, order_message: `${text.slice(0, -2)}ff` });

    await until(() => seen.filter((e) => e.type === 'rejected').length === 3, 'three rejections');
    expect(orders).toEqual([]);
    expect(seen.filter((e) => e.type === 'rejected').map((e) => (e as { reason: string }).reason)).toEqual([
      'bad-signature',
      'wrong-signer',
      'bad-signature',
    ]);
    // The genuine order with the forged one's uuid still gets through: forgeries claim nothing.
    server.publish('SOL-PERP', forged);
    await until(() => orders.length === 1, 'genuine order');
  });

  it('logs a malformed frame naming the field and value, skips sanitized orders, and keeps serving', async () => {
    const logger = recordingLogger();
    const c = makeClient(server.url, { logger });
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    await until(() => server.live()[0]?.subscriptions.includes('SOL-PERP') ?? false, 'subscription');
    const taker = takerClient(Keypair.generate());
    server.publish('SOL-PERP', { ...signedOrderFrame(taker, SOL), market_index: 'zero' });
    server.publish('SOL-PERP', { ...signedOrderFrame(taker, SOL), will_sanitize: true });
    const good = signedOrderFrame(taker, SOL);
    server.publish('SOL-PERP', good);
    await until(() => orders.length === 1, 'the good order');
    expect(orders.map((o) => o.uuid)).toEqual([good.uuid]);
    const warning = logger.lines.find((l) => l.msg === 'bad frame from swift server');
    const err = (warning?.fields as { err?: Error } | undefined)?.err;
    expect(String(err?.message)).toMatch(/order\.market_index: "zero"/);
  });

  it('drops duplicates by uuid', async () => {
    const c = makeClient();
    const seen = events(c);
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    await until(() => server.live()[0]?.subscriptions.includes('SOL-PERP') ?? false, 'subscription');
    const frame = signedOrderFrame(takerClient(Keypair.generate()), SOL);
    server.publish('SOL-PERP', frame);
    server.publish('SOL-PERP', frame);
    server.publish('SOL-PERP', { ...frame, ts: Date.now() + 5 });
    await until(() => seen.filter((e) => e.type === 'duplicate').length === 2, 'duplicates');
    expect(orders.map((o) => o.uuid)).toEqual([frame.uuid]);
  });

  it('reconnects after a server restart and re-subscribes every market it was asked for', async () => {
    const c = makeClient();
    const seen = events(c);
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    c.subscribe(['BTC-PERP'], (o) => orders.push(o));
    await until(() => (server.live()[0]?.subscriptions.length ?? 0) === 2, 'two subscriptions');

    await server.restart(150);
    await until(
      () => server.live().length === 1 && server.live()[0]?.subscriptions.length === 2,
      'resubscribed',
    );
    expect([...(server.live()[0]?.subscriptions ?? [])].sort()).toEqual(['BTC-PERP', 'SOL-PERP']);
    expect(seen.some((e) => e.type === 'disconnected')).toBe(true);

    server.publish(
      'BTC-PERP',
      signedOrderFrame(takerClient(Keypair.generate()), {
        ...SOL,
        marketIndex: 1,
        price: 65_000_000_000n,
        auctionStartPrice: 64_990_000_000n,
        auctionEndPrice: 65_000_000_000n,
      }),
    );
    await until(() => orders.length === 1, 'order after restart');
    expect(orders[0]?.market).toBe('BTC-PERP');
  });

  it('reconnects one attempt at a time while the server is down', async () => {
    const c = makeClient();
    const seen = events(c);
    c.subscribe(['SOL-PERP'], () => undefined);
    await until(() => server.live().length === 1, 'connected');
    await server.stop();
    await until(
      () => seen.filter((e) => e.type === 'reconnect-scheduled').length >= 3,
      'three failed attempts',
    );
    await server.start();
    await until(() => server.live().length === 1, 'reconnected');
    await new Promise((r) => setTimeout(r, 150));
    // Never two sockets: every drop led to exactly one scheduled attempt and one live connection remains.
    const scheduled = seen.filter((e) => e.type === 'reconnect-scheduled').length;
    const dropped = seen.filter((e) => e.type === 'disconnected').length;
    expect(scheduled).toBe(dropped);
    expect(server.connections.filter((x) => x.ws.readyState === x.ws.OPEN)).toHaveLength(1);
    // Backoff grows between failed attempts (full jitter stays under the bound).
    const delays = seen.flatMap((e) => (e.type === 'reconnect-scheduled' ? [e.delayMs] : []));
    expect(delays.every((d) => d >= 0 && d <= 100)).toBe(true);
  });

  it('detects a silent connection (no heartbeat) and replaces it', async () => {
    const c = makeClient();
    const seen = events(c);
    const orders: TakerOrder[] = [];
    c.subscribe(['SOL-PERP'], (o) => orders.push(o));
    await until(() => server.live()[0]?.subscriptions.includes('SOL-PERP') ?? false, 'subscription');
    server.heartbeatsPaused = true;
    await until(() => seen.some((e) => e.type === 'heartbeat-timeout'), 'heartbeat timeout', 2_000);
    server.heartbeatsPaused = false;
    await until(
      () => server.connections.length === 2 && (server.live().at(-1)?.subscriptions.length ?? 0) === 1,
      'new connection',
    );
    const timeout = seen.find((e) => e.type === 'heartbeat-timeout') as { silentMs: number };
    expect(timeout.silentMs).toBeGreaterThanOrEqual(600);
    server.publish('SOL-PERP', signedOrderFrame(takerClient(Keypair.generate()), SOL));
    await until(() => orders.length === 1, 'order on the new connection');
  });
});
