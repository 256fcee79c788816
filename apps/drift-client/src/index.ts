/**
 * What every process of the fleet imports: `createVenue`/`openVenue`, the simulator plumbing, the
 * params. Nothing here loads `@drift-labs/sdk` or `@solana/web3.js` (~65 MB per process): live mode
 * loads them on demand, and the SDK-bound API is `drift-client/live` (src/live.ts).
 */
export { type CreateVenueOptions, createVenue, openVenue } from './create-venue.js';
export { mergeTakerSources } from './merge-taker-sources.js';
export {
  embeddedEngine,
  probeSimServer,
  resolveSim,
  type SimChoice,
  type SimTarget,
  simChoiceFor,
  stopEmbeddedEngine,
} from './paper.js';
export { DEFAULT_PARAMS, type DriftClientParams, driftClientParamsSchema } from './params.js';
export { recordVenue, type VenueRecording, type VenueRecordingOptions } from './record.js';
export { type RpcChoice, resolveRpc } from './rpc-endpoint.js';
