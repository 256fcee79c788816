/**
 * Swift on 127.0.0.1 for the tests of packages built on swift-client (`swift-client/loopback`): the
 * server double and taker orders signed as a taker's SDK signs them. Test code: exported under the
 * `source` condition only (vitest resolves it; nothing is built).
 */
import type { DriftClient } from '@drift-labs/sdk';
import { Keypair } from '@solana/web3.js';
import { takerClient } from './orders.js';

export { signedOrderFrame, type TakerOrderSpec, takerClient } from './orders.js';
export { SwiftServerDouble } from './swift-server.js';

/** A new taker (a fresh key) that signs its Swift orders offline. */
export function newTaker(): DriftClient {
  return takerClient(Keypair.generate());
}
