import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { flatEngine } from '../test/helpers.js';
import { type SimServer, startSimServer } from './server.js';

let server: SimServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = undefined;
});

async function open(): Promise<{ ask(message: unknown): Promise<Record<string, unknown>> }> {
  server ??= await startSimServer({ port: 0, engine: flatEngine() });
  const ws = new WebSocket(server.url);
  sockets.push(ws);
  await new Promise((resolve) => ws.once('open', resolve));
  return {
    ask: (message) =>
      new Promise((resolve) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data))));
        ws.send(typeof message === 'string' ? message : JSON.stringify(message));
      }),
  };
}

const order = {
  market: 'SOL-PERP',
  side: 'buy',
  type: 'limit',
  baseAmount: '1000000000',
  price: '140000000',
};

describe('sim server: malformed messages', () => {
  it('answers each with the field and value at fault, and keeps serving everyone', async () => {
    const a = await open();
    const b = await open();
    const cases: [unknown, string, unknown][] = [
      ['{not json', 'message', '{not json'],
      [{ id: 1, type: 'explode' }, 'type', 'explode'],
      [
        { id: 2, type: 'place', subAccount: 1, order: { ...order, baseAmount: 'abc' } },
        'order.baseAmount',
        'abc',
      ],
      [
        { id: 3, type: 'place', subAccount: 1, order: { ...order, baseAmount: 1e9 } },
        'order.baseAmount',
        1e9,
      ],
      [{ id: 4, type: 'place', order }, 'subAccount', undefined],
      [{ id: 5, type: 'place', subAccount: 1, order: { ...order, side: 'long' } }, 'order.side', 'long'],
      [{ id: 6, type: 'oracle', market: 'DOGE-PERP' }, 'market', 'DOGE-PERP'],
      [{ id: 7, type: 'cancel', orderId: 5 }, 'orderId', 5],
      [{ id: 8, type: 'subscribe', oracle: 'SOL-PERP' }, 'oracle', 'SOL-PERP'],
      [[1, 2], 'message', [1, 2]],
    ];
    for (const [message, field, value] of cases) {
      const reply = await a.ask(message);
      expect(reply).toMatchObject({ ok: false, error: { field } });
      const error = reply.error as { value?: unknown; message: string };
      expect(error.value).toEqual(value);
      expect(error.message).toContain(field);
      if (typeof message === 'object' && message && 'id' in message) expect(reply.id).toBe(message.id);
    }
    // Nothing was placed, and both connections still work.
    expect(await a.ask({ id: 10, type: 'openOrders' })).toEqual({ id: 10, ok: true, result: [] });
    const placed = await b.ask({ id: 11, type: 'place', subAccount: 2, order });
    expect(placed).toMatchObject({
      id: 11,
      ok: true,
      result: { ok: true, order: { baseAmount: '1000000000' } },
    });
    // A business rejection is a result, not a protocol error.
    const rejected = await a.ask({ id: 12, type: 'place', subAccount: 1, order: { ...order, market: 'X' } });
    expect(rejected).toMatchObject({ ok: true, result: { ok: false, reason: 'unknown-market' } });
  });
});

describe('sim server: HTTP', () => {
  it('serves health, history and one-shot requests', async () => {
    const a = await open();
    await a.ask({ id: 1, type: 'place', subAccount: 1, order });
    const health = await (await fetch(`${server!.httpUrl}/health`)).json();
    expect(health).toMatchObject({ ok: true, clock: { slot: 0 } });
    const rpc = await fetch(`${server!.httpUrl}/rpc`, {
      method: 'POST',
      body: JSON.stringify({
        id: 'x',
        type: 'place',
        subAccount: 3,
        order: { ...order, price: '139000000' },
      }),
    });
    expect(await rpc.json()).toMatchObject({ id: 'x', ok: true, result: { ok: true } });
    const history = (await (await fetch(`${server!.httpUrl}/history`)).json()) as {
      kind: string;
      seq: number;
    }[];
    expect(history.map((e) => e.kind)).toEqual(['order-accepted', 'order-accepted']);
    const later = await (await fetch(`${server!.httpUrl}/history?afterSeq=1`)).json();
    expect(later).toHaveLength(1);
    const page = (await (await fetch(`${server!.httpUrl}/history?limit=1`)).json()) as { seq: number }[];
    expect(page.map((e) => e.seq)).toEqual([1]);
    expect(await a.ask({ id: 2, type: 'history', afterSeq: 1, limit: 5 })).toMatchObject({
      ok: true,
      result: [{ seq: 2, kind: 'order-accepted', order: { subAccount: 3, price: '139000000' } }],
    });
    const bad = await fetch(`${server!.httpUrl}/history?afterSeq=-1`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'afterSeq', value: '-1' } });
    const badRpc = await fetch(`${server!.httpUrl}/rpc`, { method: 'POST', body: '{"type":"book"}' });
    expect(badRpc.status).toBe(400);
    expect(await badRpc.json()).toMatchObject({ ok: false, error: { field: 'market' } });
  });
});

describe('sim server: oracle stall (a fault for tests)', () => {
  it('freezes the oracle reading while the clock runs on, then publishes again', async () => {
    const a = await open();
    const engine = server!.engine;
    const rpc = async (body: unknown) =>
      (await fetch(`${server!.httpUrl}/rpc`, { method: 'POST', body: JSON.stringify(body) })).json();
    engine.advanceSlots(3);
    const before = engine.oracle('SOL-PERP');
    expect(await rpc({ type: 'stallOracle', markets: ['SOL-PERP'] })).toMatchObject({ result: ['SOL-PERP'] });
    engine.advanceSlots(50);
    expect(engine.clock().slot).toBe(before.slot + 50);
    expect(await a.ask({ id: 1, type: 'oracle', market: 'SOL-PERP' })).toMatchObject({
      result: { slot: before.slot, ts: before.ts },
    });
    expect(await rpc({ type: 'stallOracle', markets: ['DOGE-PERP'] })).toMatchObject({
      ok: false,
      error: { field: 'markets.0', value: 'DOGE-PERP' },
    });
    expect(await rpc({ type: 'resumeOracle' })).toMatchObject({ result: [] });
    engine.advanceSlots(1);
    expect(engine.oracle('SOL-PERP').slot).toBe(before.slot + 51);
  });
});
