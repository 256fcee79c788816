import { Keypair } from '@solana/web3.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from './ed25519.js';

describe('verifyEd25519', () => {
  const key = Keypair.generate();
  const message = new TextEncoder().encode('deadbeef');
  const signature = nacl.sign.detached(message, key.secretKey);

  it('accepts what tweetnacl signs, for the signer only', () => {
    expect(verifyEd25519(message, signature, key.publicKey.toBytes())).toBe(true);
    expect(verifyEd25519(message, signature, Keypair.generate().publicKey.toBytes())).toBe(false);
  });

  it('refuses a changed message or signature, and malformed sizes', () => {
    expect(verifyEd25519(new TextEncoder().encode('deadbeee'), signature, key.publicKey.toBytes())).toBe(
      false,
    );
    const bad = Uint8Array.from(signature);
    bad[10] = (bad[10] ?? 0) ^ 1;
    expect(verifyEd25519(message, bad, key.publicKey.toBytes())).toBe(false);
    expect(verifyEd25519(message, signature.subarray(0, 63), key.publicKey.toBytes())).toBe(false);
    expect(verifyEd25519(message, signature, key.publicKey.toBytes().subarray(0, 31))).toBe(false);
  });
});
