/** `swift-client/live`: the live Swift client, built on `@drift-labs/sdk` (importing it loads the SDK). */
export { SwiftClient, type SwiftClientEvent, type SwiftClientOptions } from './swift-client.js';
export { SwiftOrderRejected, toTakerOrder, verifySwiftTakerOrder } from './swift-order.js';
