/**
 * The Swift server's WebSocket protocol, as the SDK's SwiftOrderSubscriber speaks it:
 * connect to `<endpoint>?pubkey=<maker>`; the server sends `{channel:"auth", nonce}`; the client
 * answers `{pubkey, signature}` (ed25519 over the nonce's UTF-8, base64); the server confirms with
 * `{channel:"auth", message:"Authenticated"}`; the client then sends
 * `{action:"subscribe", market_type:"perp", market_name}` per market. Orders arrive as
 * `{channel, order:{order_message (hex), order_signature (base64), taker_authority,
 * signing_authority, uuid, market_index, ts, will_sanitize?}, deposit?}`; heartbeats as
 * `{channel:"heartbeat"}`. Every message counts as liveness.
 */
import { z } from 'zod';

export const DEVNET_SWIFT_URL = 'wss://master.swift.drift.trade/ws';
export const MAINNET_SWIFT_URL = 'wss://swift.drift.trade/ws';

export const swiftOrderSchema = z.object({
  order_message: z.string().regex(/^(?:[0-9a-fA-F]{2})+$/, { error: 'is not hex' }),
  order_signature: z.string().min(1),
  taker_authority: z.string().min(32).max(44),
  signing_authority: z.string().min(32).max(44),
  uuid: z.string().min(1).max(64),
  market_index: z.int().min(0),
  ts: z.number(),
  will_sanitize: z.boolean().optional(),
});

export type SwiftOrderWire = z.output<typeof swiftOrderSchema>;

export type ServerMessage =
  | { kind: 'nonce'; nonce: string }
  | { kind: 'authenticated' }
  | { kind: 'order'; order: SwiftOrderWire; deposit: boolean }
  | { kind: 'heartbeat' }
  | { kind: 'error'; message: string }
  | { kind: 'other' };

/** Parses one server frame. Throws with the field and the problem for a malformed order. */
export function parseServerMessage(text: string): ServerMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SyntaxError(`message is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new SyntaxError('message is not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.channel === 'auth' && typeof m.nonce === 'string') return { kind: 'nonce', nonce: m.nonce };
  if (m.channel === 'auth' && typeof m.message === 'string' && m.message.toLowerCase() === 'authenticated') {
    return { kind: 'authenticated' };
  }
  if (m.order !== undefined) {
    const parsed = swiftOrderSchema.safeParse(m.order);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '?';
      throw new RangeError(
        `order.${field}: ${JSON.stringify(fieldValue(m.order, issue?.path ?? []))} ${issue?.message ?? 'is invalid'}`,
      );
    }
    return { kind: 'order', order: parsed.data, deposit: m.deposit !== undefined && m.deposit !== null };
  }
  if (m.channel === 'heartbeat') return { kind: 'heartbeat' };
  if (typeof m.error === 'string') return { kind: 'error', message: m.error };
  return { kind: 'other' };
}

export function authResponse(pubkey: string, signatureBase64: string): string {
  return JSON.stringify({ pubkey, signature: signatureBase64 });
}

export function subscribeRequest(marketName: string): string {
  return JSON.stringify({ action: 'subscribe', market_type: 'perp', market_name: marketName });
}

function fieldValue(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return typeof node === 'string' && node.length > 80 ? `${node.slice(0, 80)}...` : node;
}
