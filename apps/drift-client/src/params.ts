/**
 * drift-client's own settings (`apps.drift-client.params` in the fleet config), validated with zod
 * through @drift/config's `parseAppParams` so errors read `apps.drift-client.params.<field>: <value> ...`.
 */
import { z } from 'zod';

const ms = (min: number) =>
  z.int({ error: 'is not a whole number of ms' }).min(min, { error: `is below ${min} ms` });

export const driftClientParamsSchema = z.strictObject({
  /** How DriftClient and User follow their accounts: websocket (live default) or polling. */
  subscription: z.enum(['websocket', 'polling'], { error: 'is not websocket|polling' }).default('websocket'),
  /** Polling only: ms between account loads. */
  pollingIntervalMs: ms(100).default(1_000),
  /**
   * Websocket only: a user account with no notification for this long is read once to prove the
   * view current (a quiet subscription and a stalled one look alike). Keep it under
   * `risk.staleOracleMs`, the bound its age is held to.
   */
  accountConfirmMs: ms(100).max(60_000, { error: 'is above 60000 ms' }).default(2_000),
  commitment: z
    .enum(['processed', 'confirmed', 'finalized'], { error: 'is not processed|confirmed|finalized' })
    .default('confirmed'),
  priorityFee: z
    .strictObject({
      /** Hard cap, micro-lamports per compute unit: never pay more whatever the network asks. */
      maxMicroLamports: z
        .int()
        .min(0, { error: 'is not a non-negative number of micro-lamports' })
        .default(50_000),
      /** Scale on the recent average the SDK's PriorityFeeSubscriber reports. */
      multiplier: z.number().positive({ error: 'is not a positive multiplier' }).default(1),
      refreshMs: ms(500).default(10_000),
    })
    .default({ maxMicroLamports: 50_000, multiplier: 1, refreshMs: 10_000 }),
  computeUnitLimit: z
    .int()
    .min(1)
    .max(1_400_000, { error: "is above Solana's 1,400,000 compute units" })
    .default(400_000),
  confirm: z
    .strictObject({
      resendIntervalMs: ms(100).default(2_000),
      pollIntervalMs: ms(50).default(500),
      /**
       * getTransaction attempts for a confirmed transaction's events (null for a while on
       * load-balanced RPCs), waiting pollIntervalMs, doubling, between them.
       */
      lookupAttempts: z.int().min(1).max(10, { error: 'is above 10 attempts' }).default(5),
    })
    .default({ resendIntervalMs: 2_000, pollIntervalMs: 500, lookupAttempts: 5 }),
  /** Fill events: logs over websocket, or polling signatures of our user accounts. */
  events: z.enum(['websocket', 'polling'], { error: 'is not websocket|polling' }).default('websocket'),
});

/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = driftClientParamsSchema;

export type DriftClientParams = z.output<typeof driftClientParamsSchema>;

export const DEFAULT_PARAMS: DriftClientParams = driftClientParamsSchema.parse({});
