/**
 * The per-order cost of the Swift hot path: a frame parsed, its signature verified, its message
 * decoded with the SDK into a TakerOrder. Baselines measured in the same run: JSON parsing alone and
 * the ed25519 verification alone. `pnpm --filter swift-client bench`
 */
import { Keypair } from '@solana/web3.js';
import { offlineDriftClient } from 'drift-client/live';
import nacl from 'tweetnacl';
import { verifyEd25519 } from '../src/ed25519.js';
import { parseServerMessage } from '../src/protocol.js';
import { toTakerOrder } from '../src/swift-order.js';
import { signedOrderFrame, takerClient } from '../test/orders.js';

const N = 500;
const decoder = offlineDriftClient('devnet', 'http://127.0.0.1:9');
const taker = takerClient(Keypair.generate());
const frames = Array.from({ length: N }, (_, i) =>
  JSON.stringify({
    channel: 'swift_orders_perp_SOL-PERP',
    order: signedOrderFrame(taker, {
      marketIndex: 0,
      direction: i % 2 ? 'long' : 'short',
      baseAssetAmount: 1_000_000_000n + BigInt(i) * 10_000_000n,
      price: 150_000_000n,
      auctionStartPrice: 149_900_000n,
      auctionEndPrice: 150_000_000n,
      auctionDuration: 10,
      slot: 1_000 + i,
    }),
  }),
);

function measure(
  name: string,
  fn: (frame: string) => void,
): { name: string; perSecond: number; usPerOrder: number } {
  for (const f of frames.slice(0, 50)) fn(f); // warm up
  const start = process.hrtime.bigint();
  for (const f of frames) fn(f);
  const ns = Number(process.hrtime.bigint() - start);
  return { name, perSecond: Math.round((N * 1e9) / ns), usPerOrder: Math.round(ns / N / 100) / 10 };
}

const rows = [
  measure('baseline: JSON.parse only', (f) => void JSON.parse(f)),
  measure('baseline: parse + tweetnacl verify (pure JS)', (f) => {
    const o = (JSON.parse(f) as { order: { order_message: string; order_signature: string } }).order;
    nacl.sign.detached.verify(
      Buffer.from(o.order_message),
      Buffer.from(o.order_signature, 'base64'),
      taker.wallet.publicKey.toBytes(),
    );
  }),
  measure('parse + node:crypto verify (used)', (f) => {
    const o = (JSON.parse(f) as { order: { order_message: string; order_signature: string } }).order;
    verifyEd25519(
      Buffer.from(o.order_message),
      Buffer.from(o.order_signature, 'base64'),
      taker.wallet.publicKey.toBytes(),
    );
  }),
  measure('parse + verify + SDK decode -> TakerOrder', (f) => {
    const m = parseServerMessage(f);
    if (m.kind !== 'order') throw new Error('not an order');
    toTakerOrder(m.order, { decoder, env: 'devnet', verifySignatures: true, receivedAt: Date.now() });
  }),
];

process.stdout.write(`Swift order path, ${N} orders, node ${process.version}\n\n`);
process.stdout.write('| path | orders/s | µs/order |\n|---|---:|---:|\n');
for (const r of rows)
  process.stdout.write(`| ${r.name} | ${r.perSecond.toLocaleString('en-US')} | ${r.usPerOrder} |\n`);
