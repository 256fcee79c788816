/** `apps.risk-manager.params`, validated with the app's own schema (errors name the field). */
import { z } from 'zod';

export const riskManagerParamsSchema = z.strictObject({
  /** How often every sub-account is evaluated, ms (wall clock). */
  pollIntervalMs: z
    .int({ error: 'is not a whole number of ms' })
    .min(50, { error: 'is below 50 ms' })
    .default(500),
  /** The trading day (daily loss base) starts at this UTC hour. */
  dayStartUtcHour: z
    .int({ error: 'is not an hour 0..23' })
    .min(0, { error: 'is not an hour 0..23' })
    .max(23, { error: 'is not an hour 0..23' })
    .default(0),
});
/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = riskManagerParamsSchema;

export type RiskManagerParams = z.output<typeof riskManagerParamsSchema>;
