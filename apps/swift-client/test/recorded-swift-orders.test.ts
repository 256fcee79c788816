/**
 * A live Swift order recorded (`--record`, @drift/sim's JSON lines) and read back still verifies
 * in Swift's format with swift-client's checks; anything changed after signing does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TakerOrder } from '@drift/domain';
import { parseRecording, StreamRecorder, signingKeyFromSeed, signMessage } from '@drift/sim';
import { Keypair } from '@solana/web3.js';
import { offlineDriftClient } from 'drift-client/live';
import { describe, expect, it } from 'vitest';
import { isSwiftMessage, recordedSwiftOrderVerifier } from '../src/recorded-swift-orders.js';
import { toTakerOrder } from '../src/swift-order.js';
import { signedOrderFrame, takerClient } from './orders.js';

const decoder = offlineDriftClient('devnet', 'http://127.0.0.1:9');

/** A Swift order as swift-client delivers it, then through a recording file's line and back. */
function recordedOrder(): TakerOrder {
  const frame = signedOrderFrame(takerClient(Keypair.generate()), {
    marketIndex: 0,
    direction: 'short',
    baseAssetAmount: 1_000_000_000n,
    price: 140_000_000n,
    auctionStartPrice: 150_000_000n,
    auctionEndPrice: 140_000_000n,
    auctionDuration: 10,
    slot: 4242,
  });
  const live = toTakerOrder(
    { ...frame, market_index: 0, ts: Date.now() } as Parameters<typeof toTakerOrder>[0],
    { decoder, env: 'devnet', verifySignatures: true, receivedAt: Date.now() },
  );
  const dir = mkdtempSync(join(tmpdir(), 'swift-recording-'));
  const recorder = new StreamRecorder(join(dir, 'takers.jsonl'));
  recorder.record({ kind: 'taker', order: live });
  recorder.close();
  const [event] = parseRecording(readFileSync(recorder.path, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  if (event?.kind !== 'taker') throw new Error('the recording did not read back a taker order');
  return event.order;
}

describe('recorded live Swift orders', () => {
  it("verify in Swift's format after a round trip through a recording", async () => {
    const order = recordedOrder();
    expect(isSwiftMessage(order.message!)).toBe(true);
    const verify = recordedSwiftOrderVerifier('devnet');
    // The first loads the SDK (a promise); then verdicts are immediate.
    expect(await verify(order)).toBe(true);
    expect(verify(order)).toBe(true);
  });

  it('refuse an order changed after signing, re-signed by another key, or not in Swift format', async () => {
    const order = recordedOrder();
    const verify = recordedSwiftOrderVerifier('devnet');
    await verify(order);
    expect(verify({ ...order, baseAmount: order.baseAmount * 2n })).toBe(false);
    expect(verify({ ...order, auction: { ...order.auction, endPrice: 100_000_000n } })).toBe(false);
    expect(verify({ ...order, auction: { ...order.auction, startSlot: 4243 } })).toBe(false);
    expect(verify({ ...order, uuid: 'abcdefgh' })).toBe(false);
    expect(verify({ ...order, taker: Keypair.generate().publicKey.toBase58() })).toBe(false);
    expect(verify({ ...order, source: 'auction' })).toBe(false);
    const forger = signingKeyFromSeed(new Uint8Array(32).fill(3));
    expect(verify({ ...order, signature: signMessage(forger, order.message!) })).toBe(false);
    expect(verify({ ...order, signature: undefined })).toBe(false);
    expect(isSwiftMessage(new TextEncoder().encode('{"uuid":"x"}'))).toBe(false);
    expect(isSwiftMessage(new Uint8Array(0))).toBe(false);
  });
});
