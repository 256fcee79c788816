/**
 * A Solana-compatible JSON-RPC face of the simulator (`POST /solana`), so that in paper mode
 * rpc-manager pools a real local upstream that follows the simulated slot clock, instead of
 * probing a public cluster. It answers the calls a pool and a `Connection` health check make;
 * anything else is JSON-RPC "method not found".
 */
import { createHash } from 'node:crypto';
import { encodeBase58 } from './base58.js';
import type { SimEngine } from './engine.js';

/** Blocks a blockhash stays valid for, as on Solana. */
const BLOCKHASH_VALIDITY = 150;

interface JsonRpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

function blockhashAt(slot: number): string {
  return encodeBase58(createHash('sha256').update(`drift-sim-slot-${slot}`).digest());
}

function answer(engine: SimEngine, req: JsonRpcRequest): Record<string, unknown> {
  const id = typeof req.id === 'string' || typeof req.id === 'number' ? req.id : null;
  const ok = (result: unknown) => ({ jsonrpc: '2.0', id, result });
  const fail = (code: number, message: string) => ({ jsonrpc: '2.0', id, error: { code, message } });
  if (req === null || typeof req !== 'object' || typeof req.method !== 'string') {
    return fail(-32600, `invalid request: method ${JSON.stringify(req?.method)} is not a string`);
  }
  const { slot } = engine.clock();
  switch (req.method) {
    case 'getHealth':
      return ok('ok');
    case 'getSlot':
    case 'getBlockHeight':
      return ok(slot);
    case 'getVersion':
      return ok({ 'solana-core': '1.18.0-drift-sim', 'feature-set': 0 });
    case 'getLatestBlockhash':
      return ok({
        context: { slot },
        value: { blockhash: blockhashAt(slot), lastValidBlockHeight: slot + BLOCKHASH_VALIDITY },
      });
    case 'getEpochInfo':
      return ok({
        absoluteSlot: slot,
        blockHeight: slot,
        epoch: Math.floor(slot / 432_000),
        slotIndex: slot % 432_000,
        slotsInEpoch: 432_000,
      });
    default:
      return fail(
        -32601,
        `method not found: ${req.method} (the simulator serves getHealth, getSlot, getBlockHeight, getVersion, getLatestBlockhash, getEpochInfo)`,
      );
  }
}

/** One request or a batch, as the body text; returns the response text. */
export function handleSolanaRpc(engine: SimEngine, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return JSON.stringify({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'parse error: the body is not JSON' },
    });
  }
  if (Array.isArray(parsed)) return JSON.stringify(parsed.map((r) => answer(engine, r as JsonRpcRequest)));
  return JSON.stringify(answer(engine, parsed as JsonRpcRequest));
}
