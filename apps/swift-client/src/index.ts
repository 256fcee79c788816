/**
 * swift-client's API for every process: `createTakerSource` and the wire protocol. Nothing here loads
 * `@drift-labs/sdk`; the live client built on it is `swift-client/live` (src/live.ts).
 */
export { Backoff, type BackoffOptions } from './backoff.js';
export { type CreateTakerSourceOptions, createTakerSource, swiftUrl } from './create-taker-source.js';
export { type SwiftClientParams, swiftClientParamsSchema } from './params.js';
export {
  DEVNET_SWIFT_URL,
  MAINNET_SWIFT_URL,
  parseServerMessage,
  type ServerMessage,
  type SwiftOrderWire,
} from './protocol.js';
export { isSwiftMessage, recordedSwiftOrderVerifier } from './recorded-swift-orders.js';
