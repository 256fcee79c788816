/** swift-client's settings (`apps.swift-client.params`), validated through @drift/config's `parseAppParams`. */
import { z } from 'zod';

const ms = (min: number) =>
  z.int({ error: 'is not a whole number of ms' }).min(min, { error: `is below ${min} ms` });

export const swiftClientParamsSchema = z.strictObject({
  reconnect: z
    .strictObject({ baseMs: ms(10).default(500), capMs: ms(10).default(15_000) })
    .refine((r) => r.capMs >= r.baseMs, { error: 'capMs is below baseMs', path: ['capMs'] })
    .default({ baseMs: 500, capMs: 15_000 }),
  heartbeatTimeoutMs: ms(100).default(30_000),
  verifySignatures: z.boolean({ error: 'is not true or false' }).default(true),
  acceptSanitized: z.boolean({ error: 'is not true or false' }).default(false),
  acceptDepositTrades: z.boolean({ error: 'is not true or false' }).default(false),
});

/** What the orchestrator validates before any process starts (every app's `src/params.ts` exports one). */
export const paramsSchema = swiftClientParamsSchema;

export type SwiftClientParams = z.output<typeof swiftClientParamsSchema>;
