import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testFleetConfig } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRpc } from './rpc-endpoint.js';

let proxy: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  proxy = undefined;
});

const live = (port: number) =>
  testFleetConfig({
    mode: 'live',
    wallet: { keypairPath: '/unused' },
    rpc: { endpoints: [{ url: 'http://127.0.0.1:9/?api-key=k' }], proxy: { host: '127.0.0.1', port } },
  });

describe('resolveRpc', () => {
  it("uses rpc-manager's proxy (HTTP and WebSocket on its port) when it answers", async () => {
    proxy = createServer((_req, res) => res.end('{"jsonrpc":"2.0","id":1,"result":"ok"}'));
    await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    expect(await resolveRpc(live(port))).toEqual({
      rpcUrl: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}`,
      via: 'proxy',
    });
  });

  it('falls back to the first configured endpoint when no proxy answers', async () => {
    expect(await resolveRpc(live(1))).toEqual({ rpcUrl: 'http://127.0.0.1:9/?api-key=k', via: 'endpoint' });
  });
});
