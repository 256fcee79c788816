/** The little of JSON-RPC 2.0 the pool needs: which methods a body calls, and error replies. */

export type JsonRpcId = string | number | null;

export interface JsonRpcCall {
  id: JsonRpcId;
  method: string;
}

/** The calls in a request body (one, or a batch). Unparseable or odd bodies give []. */
export function callsIn(body: string): JsonRpcCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const calls: JsonRpcCall[] = [];
  for (const item of items) {
    const call = toCall(item);
    if (call !== undefined) calls.push(call);
  }
  return calls;
}

const PARSE_ERROR_REPLY = JSON.stringify({
  jsonrpc: '2.0',
  id: null,
  error: { code: -32700, message: 'Parse error: body is not JSON' },
});
const INVALID_REQUEST_REPLY = JSON.stringify({
  jsonrpc: '2.0',
  id: null,
  error: { code: -32600, message: 'Invalid request: method is not a string (or the batch is empty)' },
});

/**
 * The calls in a request body (one call or a batch), or, for a body that is not JSON-RPC at all,
 * the error reply to send back (a string). One parse serves the proxy's check and the pool's routing.
 */
export function parseRequest(body: string): JsonRpcCall[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return PARSE_ERROR_REPLY;
  }
  if (!Array.isArray(parsed)) {
    const call = toCall(parsed);
    return call === undefined ? INVALID_REQUEST_REPLY : [call];
  }
  if (parsed.length === 0) return INVALID_REQUEST_REPLY;
  const calls: JsonRpcCall[] = [];
  for (const item of parsed) {
    const call = toCall(item);
    if (call === undefined) return INVALID_REQUEST_REPLY;
    calls.push(call);
  }
  return calls;
}

function toCall(item: unknown): JsonRpcCall | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { id, method } = item as { id?: unknown; method?: unknown };
  if (typeof method !== 'string') return undefined;
  return { id: typeof id === 'string' || typeof id === 'number' ? id : null, method };
}

/** Server-defined JSON-RPC error codes used by the pool (-32000..-32099 is the reserved range). */
export const POOL_ERROR = {
  /** Every attempt failed (or no endpoint was usable). */
  exhausted: -32098,
  /** A non-idempotent call may or may not have been processed: check before resending. */
  outcomeUnknown: -32097,
} as const;

/** An error reply shaped like the request: one object, or an array for a batch. */
export function errorReply(body: string, code: number, message: string): string {
  const calls = callsIn(body);
  const one = (id: JsonRpcId) => ({ jsonrpc: '2.0', id, error: { code, message } });
  const isBatch = body.trimStart().startsWith('[');
  return JSON.stringify(isBatch ? calls.map((c) => one(c.id)) : one(calls[0]?.id ?? null));
}
