/** The lane's DriftVenue settings (also used by the bot child process, which has no vitest). */
import { DEFAULT_PARAMS, type DriftClientParams } from '../../src/params.js';

export type Mode = 'websocket' | 'polling';
export const MODES: readonly Mode[] = ['websocket', 'polling'];

/** $10,000 of USDC (QUOTE_PRECISION). */
export const USDC_10K = 10_000_000_000n;

export function laneParams(mode: Mode): DriftClientParams {
  return {
    ...DEFAULT_PARAMS,
    subscription: mode,
    events: mode,
    pollingIntervalMs: 100,
    priorityFee: { maxMicroLamports: 5_000, multiplier: 1, refreshMs: 60_000 },
    confirm: { resendIntervalMs: 200, pollIntervalMs: 20, lookupAttempts: 4 },
  };
}
