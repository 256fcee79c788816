import { afterEach, describe, expect, it } from 'vitest';
import { flatEngine } from '../test/helpers.js';
import { type SimServer, startSimServer } from './server.js';

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Reply {
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

async function call(body: unknown): Promise<Reply & Reply[]> {
  const res = await fetch(`${server!.httpUrl}/solana`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Reply & Reply[];
}

describe('the Solana-compatible RPC face (paper mode upstream for rpc-manager)', () => {
  it('follows the simulated slot clock and answers health, blockhash and batches', async () => {
    const engine = flatEngine();
    server = await startSimServer({ port: 0, engine });
    const before = Number((await call({ jsonrpc: '2.0', id: 1, method: 'getSlot' })).result);
    engine.advanceSlots(25);
    expect(await call({ jsonrpc: '2.0', id: 2, method: 'getSlot' })).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: before + 25,
    });
    const [health, hash] = await call([
      { jsonrpc: '2.0', id: 'h', method: 'getHealth' },
      { jsonrpc: '2.0', id: 'b', method: 'getLatestBlockhash' },
    ]);
    expect(health).toEqual({ jsonrpc: '2.0', id: 'h', result: 'ok' });
    const latest = hash!.result as { value: { blockhash: string; lastValidBlockHeight: number } };
    expect(latest.value.blockhash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(latest.value.lastValidBlockHeight).toBe(before + 25 + 150);
  });

  it('refuses unknown methods and bad bodies with JSON-RPC errors, and keeps serving', async () => {
    server = await startSimServer({ port: 0, engine: flatEngine() });
    expect((await call({ jsonrpc: '2.0', id: 3, method: 'sendTransaction' })).error).toMatchObject({
      code: -32601,
      message: expect.stringContaining('sendTransaction'),
    });
    const res = await fetch(`${server.httpUrl}/solana`, { method: 'POST', body: '{nope' });
    expect(((await res.json()) as Reply).error?.code).toBe(-32700);
    expect((await call({ jsonrpc: '2.0', id: 4, method: 'getHealth' })).result).toBe('ok');
  });
});
