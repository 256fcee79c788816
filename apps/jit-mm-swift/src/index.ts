/** jit-mm-swift's public API: the maker and its pure parts, for tools and other processes. */
export { JitMaker, type JitMakerDeps, type OutcomeReason } from './bot.js';
export { auctionPriceAt, type Decision, decide, type QuoteParams, requiredMakerPrice } from './decide.js';
export { Histogram } from './histogram.js';
export { type JitParams, jitParamsSchema, loadJitParams } from './params.js';
export { TakerVerifier } from './taker-verifier.js';
