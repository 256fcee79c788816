/**
 * `drift-client/live`: the part of the API built on `@drift-labs/sdk` and `@solana/web3.js`. Importing
 * it loads the SDK, so paper-mode code never does: live paths reach it with `await import(...)`.
 */
export { auctionUuid, parseAuctionUuid } from './auction-orders.js';
export {
  AuctionTakerSource,
  type AuctionTakerSourceOptions,
  type CreateAuctionTakerSourceOptions,
  createAuctionTakerSource,
} from './auction-taker-source.js';
export { bnToSafeNumber, fromBN, toBN } from './bn.js';
export { DriftVenue, type DriftVenueOptions } from './drift-venue.js';
export { KeypairFileError, loadKeypairFile } from './keypair.js';
export {
  borshOfSignedBytes,
  type DecodedSwiftMessage,
  decodeSwiftMessage,
  offlineDriftClient,
} from './swift-message.js';
export { TxError } from './tx-sender.js';
