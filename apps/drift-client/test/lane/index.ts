/**
 * The lane for packages built on drift-client (`drift-client/lane`): a bot's own tests run its
 * decision path against DriftVenue on the compiled program, so drift-client never depends on a
 * bot. Test code: exported under the `source` condition only (vitest resolves it; nothing is built).
 */
export { type ChainOrder, type ChainUser, readUser } from './chain-user.js';
export { type LaneUser, SOL_PERP } from './exchange.js';
export {
  describeLane,
  eventually,
  Lane,
  type LaneVenue,
  laneParams,
  MODES,
  type Mode,
  USDC_10K,
} from './lane.js';
export { auctionFor, auctionSeen, auctionSource, MAKER_BID, TAKER_BASE } from './taker.js';
