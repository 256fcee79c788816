/**
 * Real ed25519 signatures for the simulated Swift stream (node:crypto). Keys are derived from seeded
 * bytes so a seed replays the same takers; the signed message is the UTF-8 JSON of the order's
 * terms, so anyone can check both the signature and that the order says what was signed.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { TakerOrder } from '@drift/domain';
import { decodeBase58, encodeBase58 } from './base58.js';

// DER prefixes that wrap a raw 32-byte ed25519 seed / public key (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SigningKey {
  /** Base58 public key (the taker authority). */
  publicKey: string;
  privateKey: KeyObject;
}

/** An ed25519 key from a 32-byte seed. */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new RangeError(`an ed25519 seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { publicKey: encodeBase58(spki.subarray(SPKI_PREFIX.length)), privateKey };
}

/** The terms a taker signs. */
export interface TakerOrderTerms {
  uuid: string;
  market: string;
  side: TakerOrder['side'];
  baseAmount: bigint;
  startPrice: bigint;
  endPrice: bigint;
  startSlot: number;
  durationSlots: number;
  taker: string;
}

export function encodeTakerMessage(terms: TakerOrderTerms): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      uuid: terms.uuid,
      market: terms.market,
      side: terms.side,
      baseAmount: terms.baseAmount.toString(),
      startPrice: terms.startPrice.toString(),
      endPrice: terms.endPrice.toString(),
      startSlot: terms.startSlot,
      durationSlots: terms.durationSlots,
      taker: terms.taker,
    }),
  );
}

export function signMessage(key: SigningKey, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key.privateKey));
}

/** True when `signature` is `publicKey`'s (base58) ed25519 signature of `message`. */
export function verifySignature(message: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  let raw: Uint8Array;
  try {
    raw = decodeBase58(publicKey);
  } catch {
    return false;
  }
  if (raw.length !== 32 || signature.length !== 64) return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return verify(null, message, key, signature);
}

/** Signs a taker order's terms: the order with `message` and `signature` filled in. */
export function signTakerOrder(key: SigningKey, order: TakerOrder): TakerOrder {
  const message = encodeTakerMessage(termsOf({ ...order, taker: key.publicKey }));
  return { ...order, taker: key.publicKey, message, signature: signMessage(key, message) };
}

/**
 * Checks a taker order end to end: the signature is the taker's over `message`, and `message`
 * states exactly the order's terms (nothing altered after signing).
 */
export function verifyTakerOrder(order: TakerOrder): boolean {
  if (!order.message || !order.signature) return false;
  if (!verifySignature(order.message, order.signature, order.taker)) return false;
  return Buffer.from(order.message).equals(Buffer.from(encodeTakerMessage(termsOf(order))));
}

function termsOf(order: TakerOrder): TakerOrderTerms {
  return {
    uuid: order.uuid,
    market: order.market,
    side: order.side,
    baseAmount: order.baseAmount,
    startPrice: order.auction.startPrice,
    endPrice: order.auction.endPrice,
    startSlot: order.auction.startSlot,
    durationSlots: order.auction.durationSlots,
    taker: order.taker,
  };
}
