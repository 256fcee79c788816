export { auctionUuid, parseAuctionUuid } from './auction-orders.js';
export {
  AuctionTakerSource,
  type AuctionTakerSourceOptions,
  type CreateAuctionTakerSourceOptions,
  createAuctionTakerSource,
} from './auction-taker-source.js';
export { bnToSafeNumber, fromBN, toBN } from './bn.js';
export { type CreateVenueOptions, createVenue, openVenue } from './create-venue.js';
export { DriftVenue, type DriftVenueOptions } from './drift-venue.js';
export { KeypairFileError, loadKeypairFile } from './keypair.js';
export type { Logger } from './logger.js';
export { mergeTakerSources } from './merge-taker-sources.js';
export {
  embeddedEngine,
  resolveSim,
  type SimChoice,
  type SimTarget,
  simServerReachable,
  stopEmbeddedEngine,
} from './paper.js';
export { DEFAULT_PARAMS, type DriftClientParams, driftClientParamsSchema } from './params.js';
export { type RpcChoice, resolveRpc } from './rpc-endpoint.js';
export {
  borshOfSignedBytes,
  type DecodedSwiftMessage,
  decodeSwiftMessage,
  offlineDriftClient,
} from './swift-message.js';
export { TxError } from './tx-sender.js';
