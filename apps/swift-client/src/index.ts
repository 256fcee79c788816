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
export { SwiftClient, type SwiftClientEvent, type SwiftClientOptions } from './swift-client.js';
export { SwiftOrderRejected, toTakerOrder } from './swift-order.js';
