import { generateKeyPairSync, sign } from 'node:crypto';
import type { TakerOrder } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { decodeBase58, encodeBase58 } from './base58.js';
import { signingKeyFromSeed, signTakerOrder, verifySignature, verifyTakerOrder } from './signing.js';

const order: TakerOrder = {
  uuid: '00000000-0000-4000-8000-000000000001',
  source: 'swift',
  market: 'SOL-PERP',
  side: 'buy',
  baseAmount: 1_000_000_000n,
  auction: { startPrice: 149_970_000n, endPrice: 150_450_000n, startSlot: 7, durationSlots: 10 },
  taker: '',
  receivedAt: 0,
};

describe('ed25519 taker orders', () => {
  it('derives the same key from the same seed and signs verifiably', () => {
    const seed = new Uint8Array(32).fill(7);
    const key = signingKeyFromSeed(seed);
    expect(signingKeyFromSeed(seed).publicKey).toBe(key.publicKey);
    expect(decodeBase58(key.publicKey)).toHaveLength(32);
    const signed = signTakerOrder(key, order);
    expect(signed.taker).toBe(key.publicKey);
    expect(signed.signature).toHaveLength(64);
    expect(verifyTakerOrder(signed)).toBe(true);
  });

  it('refuses altered terms, a foreign signature and garbage keys', () => {
    const signed = signTakerOrder(signingKeyFromSeed(new Uint8Array(32).fill(1)), order);
    const other = signingKeyFromSeed(new Uint8Array(32).fill(2));
    expect(verifyTakerOrder({ ...signed, auction: { ...signed.auction, endPrice: 160_000_000n } })).toBe(
      false,
    );
    expect(verifyTakerOrder({ ...signed, taker: other.publicKey })).toBe(false);
    expect(verifyTakerOrder({ ...signed, signature: new Uint8Array(64) })).toBe(false);
    expect(verifySignature(signed.message!, signed.signature!, '0OIl')).toBe(false);
    expect(verifyTakerOrder({ ...signed, message: undefined })).toBe(false);
  });

  it('verifies signatures made by any ed25519 implementation (node keygen here)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const message = new TextEncoder().encode('hello');
    const signature = new Uint8Array(sign(null, message, privateKey));
    expect(verifySignature(message, signature, encodeBase58(raw))).toBe(true);
  });

  it('base58 round-trips leading zeros', () => {
    const bytes = Uint8Array.from([0, 0, 1, 2, 255]);
    expect(decodeBase58(encodeBase58(bytes))).toEqual(bytes);
  });
});
