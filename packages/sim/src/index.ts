export { auctionBounds, auctionPriceAt, makerPriceAcceptable } from './auction.js';
export { decodeBase58, encodeBase58 } from './base58.js';
export {
  type AuctionConfig,
  DEFAULTS,
  FEE_RATE_PRECISION,
  type FeeRate,
  type FundingConfig,
  feeRateFromBps,
  type SimEngineConfig,
  type SimMarketConfig,
  SLOT_MS,
  type TakerFlowConfig,
} from './config.js';
export { type EngineScope, type MakerFill, SimEngine, type SimEvent, type SimListener } from './engine.js';
export { type HistoryEntry, type HistoryKind, serializeHistory } from './history.js';
export type { SimLogger } from './log.js';
export { parseOracleCsv, type ReplayPoint } from './oracle.js';
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
