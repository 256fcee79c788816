export { embeddedApi, type SimApi, type SimSubscription } from './api.js';
export { auctionBounds, auctionPriceAt, makerPriceAcceptable } from './auction.js';
export { decodeBase58, encodeBase58 } from './base58.js';
export { SimClient, SimRemoteError } from './client.js';
export {
  type CompetitionConfig,
  DEFAULT_LANDING_DELAY_MS,
  DEFAULT_RIVALS,
  type DrawRange,
  type RivalMaker,
} from './competition.js';
export {
  type AuctionConfig,
  DEFAULTS,
  FEE_RATE_PRECISION,
  type FeeRate,
  type FundingConfig,
  feeRateFromBps,
  type SimEngineConfig,
  type SimMarketConfig,
  type TakerFlowConfig,
} from './config.js';
export { type EngineScope, type MakerFill, SimEngine, type SimEvent, type SimListener } from './engine.js';
export type { FeeTierRates } from './fee-tiers.js';
export { engineConfigFromFleet } from './fleet-config.js';
export { type HistoryEntry, type HistoryKind, serializeHistory } from './history.js';
export { parseOracleCsv, type ReplayPoint } from './oracle.js';
export {
  runOrderScript,
  type ScriptAccount,
  type ScriptedOrder,
  type ScriptOutcome,
} from './order-script.js';
export {
  parseRecording,
  type RecordedEvent,
  recordOracles,
  recordPathArg,
  recordTakers,
  replaySettings,
  StreamRecorder,
} from './recording.js';
export { type SimServer, type SimServerOptions, startSimServer } from './server.js';
export {
  encodeTakerMessage,
  type SigningKey,
  signingKeyFromSeed,
  signMessage,
  signTakerOrder,
  type TakerOrderTerms,
  verifySignature,
  verifyTakerOrder,
} from './signing.js';
export { SimTakerStream } from './taker-stream.js';
export { SimVenue, type SimVenueOptions } from './venue.js';
export { WireError } from './wire.js';
