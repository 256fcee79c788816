/**
 * ed25519 signature checks with node:crypto (OpenSSL): ~100x faster than tweetnacl's pure-JS verify,
 * which costs milliseconds per order. Public keys are wrapped in their SPKI DER form once and cached,
 * since the same takers sign order after order.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

// RFC 8410 SPKI prefix for a raw 32-byte ed25519 public key.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const CACHE_LIMIT = 4_096;
const keys = new Map<string, KeyObject>();

function keyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('base64');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keys.size >= CACHE_LIMIT) keys.delete(keys.keys().next().value as string);
    keys.set(id, key);
  }
  return key;
}

/** True when `signature` is `publicKey`'s ed25519 signature of `message`. */
export function verifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return verify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}
