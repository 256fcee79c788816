/**
 * The messages between the orchestrator and its children over Node's IPC channel
 * (`child_process.fork` / `spawn` with `stdio: [..., 'ipc']`). Both sides validate what they
 * receive with `parseChildMessage` / `parseParentMessage`: a malformed message is dropped with a
 * warning naming the field, never acted on. Money travels as decimal strings (IPC is JSON).
 */
import { formatIssue } from '@drift/config';
import type { TradingStateName } from '@drift/domain';
import { z } from 'zod';

/** Environment the orchestrator sets for each child (read by `startApp`). */
export const CHILD_ENV = {
  /** The app's name as in the config. */
  appName: 'DRIFT_APP_NAME',
  /** Heartbeat interval the orchestrator expects, ms. */
  heartbeatMs: 'DRIFT_HEARTBEAT_MS',
  /** How long the child may take to shut down before it exits anyway, ms (below the SIGKILL timeout). */
  shutdownDeadlineMs: 'DRIFT_SHUTDOWN_DEADLINE_MS',
  /** Paper mode: the fleet run's id; a bot's journal from another run is archived, not reused. */
  paperSession: 'DRIFT_PAPER_SESSION',
} as const;

/**
 * A member of the fleet: under the orchestrator (`supervised`, an IPC channel), or under the
 * supervisor a fleet export runs it with (pm2, systemd, Kubernetes), whose environment carries the
 * fleet's paper session id. It trades the fleet's venue; a process started alone does not.
 */
export function isFleetMember(supervised: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return supervised || Boolean(env[CHILD_ENV.paperSession]);
}

const tradingState = z.enum(['active', 'reducing', 'halted'], { error: 'is not active|reducing|halted' });
const count = z
  .int({ error: 'is not a non-negative integer' })
  .min(0, { error: 'is not a non-negative integer' });
const decimalString = z.string({ error: 'is not a decimal string' }).regex(/^-?\d+(\.\d+)?$/, {
  error: 'is not a decimal string',
});
const reason = z
  .string({ error: 'is not a reason text' })
  .max(2_000, { error: 'is too long (2000 chars max)' });
/**
 * Who caused a trading-state change: an operator (API / CLI caller) or an app (`risk-manager`). A
 * label only, so loose on purpose: a halt must never be dropped over the spelling of a name.
 */
const by = z
  .string({ error: 'is not a name' })
  .min(1, { error: 'is empty' })
  .max(200, { error: 'is too long (200 chars max)' });

/** What a running app reports with every heartbeat. */
export const appStatusSchema = z.object({
  tradingState,
  /** Open orders right now. */
  openOrders: count.default(0),
  /** Fills since start. */
  fills: count.default(0),
  /** Orders placed since start. */
  ordersPlaced: count.default(0),
  /** PnL since start (or today for the fleet view), quote decimal string ("-12.5"); a bot's is net of fees. */
  pnlQuote: decimalString.default('0'),
  /** Bots: fees paid on their fills since start, quote decimal string. */
  feesPaidQuote: decimalString.optional(),
  /** Bots: rebates received on their fills since start, quote decimal string. */
  feesReceivedQuote: decimalString.optional(),
  /** Bots: age of the last word from the risk manager, ms (absent: none yet, or not required). */
  riskWordAgeMs: count.optional(),
  /** Age of each source of data the app trades on, ms (`slot`, `oracle:<market>`; see data-freshness.ts). */
  dataAgeMs: z.record(z.string(), count).optional(),
  /** True while some source is older than the bound (`risk.staleOracleMs`): the app adds no risk. */
  dataStale: z.boolean({ error: 'is not true or false' }).optional(),
  /** App-specific counters for metrics (`quotesSkipped`, `reconnects`, ...). */
  counters: z.record(z.string(), z.number({ error: 'is not a number' })).default({}),
});
export type AppStatus = z.output<typeof appStatusSchema>;

export const childMessageSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('ready'),
      app: z.string({ error: 'is not an app name' }),
      pid: count,
      /** What the app wants the orchestrator to show (ports, markets...). */
      info: z.record(z.string(), z.unknown()).default({}),
    }),
    z.object({
      type: z.literal('heartbeat'),
      app: z.string({ error: 'is not an app name' }),
      /** Sender's wall clock, ms. */
      ts: count,
      uptimeMs: count,
      /** Resident memory, bytes. */
      rssBytes: count,
      status: appStatusSchema,
    }),
    z.object({
      /** risk-manager's verdict for the fleet: the orchestrator relays it to every bot. */
      type: z.literal('risk-state'),
      state: tradingState,
      reason,
      /** One human line per breach. */
      breaches: z.array(z.string()).default([]),
      ts: count,
      /** Who caused it: `risk-manager` for a breach, the operator for a reset or a halt. */
      by: by.optional(),
    }),
    z.object({
      /** A warning/error an app logged, for the dashboard's "latest problems". */
      type: z.literal('log-error'),
      app: z.string({ error: 'is not an app name' }),
      level: z.enum(['warn', 'error', 'fatal'], { error: 'is not warn|error|fatal' }),
      msg: reason,
      ts: count,
    }),
  ],
  { error: 'is not a known message type (ready|heartbeat|risk-state|log-error)' },
);
export type ChildMessage = z.output<typeof childMessageSchema>;

export const parentMessageSchema = z.discriminatedUnion(
  'type',
  [
    /** Stop trading now (cancel open orders, place nothing); stay up. */
    z.object({ type: z.literal('halt'), reason, by: by.optional() }),
    /** Back to active after an operator reset. */
    z.object({ type: z.literal('resume'), reason: reason.default('resumed'), by: by.optional() }),
    /** Any state, e.g. `reducing`: only orders that reduce exposure. */
    z.object({ type: z.literal('trading-state'), state: tradingState, reason, by: by.optional() }),
    /** Shut down gracefully (same as SIGTERM). */
    z.object({ type: z.literal('stop'), reason: reason.default('stop requested') }),
    /**
     * Should the orchestrator vanish (SIGKILL), stop only once these processes are gone, waiting at
     * most `waitMs`: the processes that stop before this one in a normal fleet stop (the bots
     * cancelling their orders through the simulator / RPC proxy this app serves). Sent again on changes.
     */
    z.object({ type: z.literal('stop-after'), pids: z.array(count), waitMs: count }),
    /** A fresh word from the live risk manager (relayed on each of its evaluations): bots trade only while they get them. */
    z.object({ type: z.literal('risk-word'), ts: count }),
  ],
  { error: 'is not a known message type (halt|resume|trading-state|stop|stop-after|risk-word)' },
);
export type ParentMessage = z.output<typeof parentMessageSchema>;

/** The trading state a parent message sets, if it sets one, and who asked (when the message says). */
export function tradingStateOf(
  message: ParentMessage,
): { state: TradingStateName; reason: string; by?: string } | undefined {
  const who = 'by' in message && message.by !== undefined ? { by: message.by } : {};
  switch (message.type) {
    case 'halt':
      return { state: 'halted', reason: message.reason, ...who };
    case 'resume':
      return { state: 'active', reason: message.reason, ...who };
    case 'trading-state':
      return { state: message.state, reason: message.reason, ...who };
    case 'stop':
    case 'stop-after':
    case 'risk-word':
      return undefined;
  }
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/** Validates a message from a child. `error` names the field: `heartbeat.status.fills: -1 is not ...`. */
export function parseChildMessage(raw: unknown): Parsed<ChildMessage> {
  return parseWith(childMessageSchema, raw);
}

/** Validates a message from the orchestrator. */
export function parseParentMessage(raw: unknown): Parsed<ParentMessage> {
  return parseWith(parentMessageSchema, raw);
}

function parseWith<S extends z.ZodType>(schema: S, raw: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const type =
    typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
      ? (raw as { type: string }).type
      : 'message';
  const issues = result.error.issues.map((i) => formatIssue(i, raw).replace(/^\(top level\)/, 'type'));
  return { ok: false, error: `malformed ${type}: ${issues.join('; ')}` };
}
