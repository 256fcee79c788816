/**
 * Which Solana RPC a live venue talks to: rpc-manager's loopback proxy when it is running (it pools
 * and fails over the configured endpoints, HTTP and WebSocket on one port), otherwise the first
 * configured endpoint directly.
 */
import type { FleetConfig } from '@drift/config';

const PROBE_TIMEOUT_MS = 500;

export interface RpcChoice {
  rpcUrl: string;
  wsUrl?: string;
  via?: 'proxy' | 'endpoint';
}

export async function resolveRpc(config: FleetConfig): Promise<RpcChoice> {
  const { host, port } = config.rpc.proxy;
  const proxy = `http://${host}:${port}`;
  if (await answers(proxy)) return { rpcUrl: proxy, wsUrl: `ws://${host}:${port}`, via: 'proxy' };
  const first = config.rpc.endpoints[0];
  if (!first) throw new Error(`rpc.endpoints: empty, and no rpc-manager proxy answers on ${host}:${port}`);
  return { rpcUrl: first.url, via: 'endpoint' };
}

/** True when a JSON-RPC `getHealth` gets any HTTP answer. */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
