/**
 * Checks the simulator's signed taker orders (paper mode) like `verifyTakerOrder` from @drift/sim —
 * the ed25519 signature is the taker's over `message`, and `message` states exactly the order's
 * terms — but imports each taker's public key once: the stream has few takers, and importing the
 * key (`createPublicKey`) cost as much as the verification itself on every order (see bench/).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { TakerOrder } from '@drift/core';
import { decodeBase58, encodeTakerMessage } from '@drift/sim';

// DER prefix that wraps a raw 32-byte ed25519 public key (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class TakerVerifier {
  private readonly keys = new Map<string, KeyObject | null>();

  constructor(private readonly maxKeys = 4_096) {}

  /** True when the order is signed by its taker and its terms are the signed ones. */
  readonly verify = (order: TakerOrder): boolean => {
    const { message, signature } = order;
    if (!message || !signature || signature.length !== 64) return false;
    const key = this.keyOf(order.taker);
    if (!key || !verify(null, message, key, signature)) return false;
    return Buffer.from(message).equals(encodeTakerMessage({ ...order, ...order.auction }));
  };

  private keyOf(taker: string): KeyObject | null {
    let key = this.keys.get(taker);
    if (key !== undefined) return key;
    key = importKey(taker);
    if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(taker, key);
    return key;
  }
}

function importKey(base58: string): KeyObject | null {
  try {
    const raw = decodeBase58(base58);
    if (raw.length !== 32) return null;
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}
