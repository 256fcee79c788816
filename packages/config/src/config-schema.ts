/**
 * The fleet config's shape (`drift-bots.yaml`): zod schemas and the typed result apps receive.
 * Money is decimal strings in the file and bigint here; every app's `params` stays `unknown` until
 * the app validates it with its own schema (`parseAppParams`).
 */
import type { BreachStates, LimitSet, TradingStateName } from '@drift/domain';
import { z } from 'zod';
import {
  baseField,
  bpsField,
  decimalField,
  intField,
  marketField,
  msField,
  perMarket,
  portField,
  priceField,
  quoteField,
  subAccountField,
} from './config-fields.js';
import { looksLikeInlineSecret } from './redact.js';

export type FleetMode = 'paper' | 'live';
export type DriftEnv = 'devnet' | 'mainnet-beta';
/**
 * Start order: infrastructure, then risk, then bots; stop order is the reverse. A `library` is not a
 * process of the fleet: the bots load it in-process and read its `params`; its package's own `start`
 * script is a standalone tool.
 */
export type AppKind = 'infrastructure' | 'risk' | 'bot' | 'library';
/** The kinds the orchestrator runs as processes. */
export type ProcessKind = Exclude<AppKind, 'library'>;
export type WebhookFormat = 'slack' | 'discord' | 'telegram';

export interface RpcEndpoint {
  /** May carry an API key (`?api-key=`): never log it (see `redactUrl`). */
  url: string;
  /** Optional label for logs and metrics instead of the URL. */
  name?: string;
  /** Relative share of traffic for rpc-manager (default 1). */
  weight: number;
}

export interface SimMarketConfig {
  /** PRICE_PRECISION. */
  startPrice: bigint;
  /** Standard deviation of the oracle's return per hour of sim time, bps. */
  volatilityBps: number;
  /** Mean oracle return per hour of sim time, bps (may be negative). */
  driftBps: number;
  /** Replay the oracle from a `timestamp,price` CSV instead of the random walk (absolute path). */
  replayCsv?: string;
}

export interface SimConfig {
  host: string;
  port: number;
  seed: number;
  /** Clock multiplier: 1 is wall-clock time, > 1 fast-forwards. */
  speed: number;
  /** Length of a slot in ms of sim time (Solana ~400). */
  slotMs: number;
  markets: Record<string, SimMarketConfig>;
  /** Collateral per sub-account, QUOTE_PRECISION, and the fee tier it starts on (`fees.tier` if unset). */
  subAccounts: Record<number, { collateral: bigint; feeTier?: number }>;
  fees: SimFeesConfig;
  auctionDurationSlots: number;
  /** Rate of the simulated Swift taker-order stream, orders per minute of sim time (0 = off). */
  swiftOrdersPerMinute: number;
  fundingIntervalMs: number;
  /** Rival makers racing the fleet for auctions (`default`: the simulator's field; [] for none). */
  competition: { rivals: 'default' | SimRivalConfig[]; landingDelayMs: number };
  /** Replay a recorded stream (JSON lines: oracle updates, taker orders) instead of the random walk. */
  replayStream?: string;
}

/** Fee rates in parts per million of notional (1 bps = 100 ppm); maker < 0 is a rebate. */
export interface FeeRatesPpm {
  makerPpm: bigint;
  takerPpm: bigint;
}

/**
 * Drift's perp fee tiers: tier 1 (the program's base tier) is `makerPpm`/`takerPpm`, tiers 2 and up
 * are `tiers` (the program reaches them by 30-day volume: 1M, 5M, 10M, 50M, 100M USDC).
 */
export interface SimFeesConfig extends FeeRatesPpm {
  tiers: FeeRatesPpm[];
  /** The tier (1-based) every sub-account starts on unless its own `feeTier` says otherwise. */
  tier: number;
}

/**
 * Rates of Drift's perp fee tiers 2-6 as published by Drift (taker 3, 2.75, 2.5, 2.25, 2 bps; maker
 * rebate 0.25 bps): the exchange's admin parameters, so configurable (`sim.fees.tiers`).
 */
export const DRIFT_PERP_FEE_TIERS_2_UP: readonly FeeRatesPpm[] = [300n, 275n, 250n, 225n, 200n].map(
  (takerPpm) => ({ makerPpm: -25n, takerPpm }),
);

/** A rival maker (see @drift/sim's competition.ts): what it asks, how fast it lands, how much it takes. */
export interface SimRivalConfig {
  name: string;
  /** Chance it bids on an auction, 0..1. */
  participation: number;
  /** Edge over the oracle it keeps, bps, drawn uniformly per auction. */
  edgeBps: { min: number; max: number };
  /** From the slot whose price pays its edge to its fill landing, ms, drawn per auction. */
  latencyMs: { min: number; max: number };
  /** Largest share of a taker order it takes, (0, 1]. */
  maxShare: number;
}

export interface WebhookConfig {
  format: WebhookFormat;
  /** Resolved URL (from `url` or the env var named by `urlEnv`). A secret: never log it. */
  url: string;
  /** The env var the URL came from, when the file names one (an export carries it as a secret). */
  urlEnv?: string;
  /** Telegram only: the chat to post to. */
  chatId?: string;
}

export interface RiskLimits extends LimitSet {
  /** Trading state each breach recommends. */
  onBreach: BreachStates;
  webhooks: WebhookConfig[];
}

export interface RestartPolicy {
  /** First backoff delay. */
  baseMs: number;
  /** Backoff multiplier per consecutive restart. */
  factor: number;
  /** Largest backoff delay. */
  capMs: number;
  /** Uptime after which the backoff resets. */
  stableAfterMs: number;
  /** More than this many restarts within `windowMs` -> crash-looping: not restarted again. */
  maxRestarts: number;
  windowMs: number;
  /** An exit before this uptime counts as a failed start. */
  minUptimeMs: number;
}

/** What every bot does when the risk manager falls silent (see `FleetConfig.failClosed`). */
export interface FailClosedConfig {
  /** Longest a bot trades without a fresh word from a live risk manager. */
  silenceMs: number;
  /** The state a bot falls to when the word is stale (its resting orders are cancelled too). */
  state: Exclude<TradingStateName, 'active'>;
  /** Paper only: run a fleet with no risk manager at all (a WARN at start). Live never may. */
  allowNoRiskManager: boolean;
}

/** What every bot's order flow does with its orders (order-management reads it). */
export interface OrdersConfig {
  /**
   * Every order a bot places on the book carries an expiry (Drift's `maxTs`) this far ahead of
   * venue time; the bot refreshes it while alive, so a bot that vanishes leaves nothing resting
   * longer than this.
   */
  expiryMs: number;
}

export interface OrchestratorConfig {
  /** Status API, metrics and dashboard; loopback unless configured otherwise. */
  api: { host: string; port: number; token?: string };
  restart: RestartPolicy;
  heartbeat: { intervalMs: number; timeoutMs: number };
  /** How long a child may take to report `ready`. */
  readyTimeoutMs: number;
  /** Default grace between SIGTERM and SIGKILL (apps.<name>.stopTimeoutMs overrides). */
  stopTimeoutMs: number;
}

export interface AppConfig {
  name: string;
  enabled: boolean;
  kind: AppKind;
  /** The fleet modes it runs in (default both). */
  modes: FleetMode[];
  /** Sub-account the app trades on (required for bots). */
  subAccount?: number;
  /** App-specific, validated by the app with `parseAppParams`. */
  params: unknown;
  /** Extra environment for the child process. */
  env: Record<string, string>;
  /** Grace between SIGTERM and SIGKILL for this app (resolved from the orchestrator default). */
  stopTimeoutMs: number;
  /** Package directory relative to the workspace root (default `apps/<name>`). */
  dir: string;
}

export interface FleetConfig {
  /** Where the config came from (file path, or the name given to `parseFleetConfig`). */
  source: string;
  mode: FleetMode;
  env: DriftEnv;
  markets: string[];
  /** Live mode only (required there). `keypairPath` is absolute. */
  wallet?: { keypairPath: string };
  rpc: { endpoints: RpcEndpoint[]; proxy: { host: string; port: number } };
  swift: { url?: string };
  sim: SimConfig;
  /** In file order; see `appsInStartOrder`. */
  apps: Record<string, AppConfig>;
  risk: RiskLimits;
  /** From `risk.failClosed` and `risk.allowNoRiskManager`. */
  failClosed: FailClosedConfig;
  orders: OrdersConfig;
  orchestrator: OrchestratorConfig;
}

/** Whether the orchestrator runs `app` as a process of a fleet in `mode`. */
export function runsAsProcess(app: AppConfig, mode: FleetMode): boolean {
  return app.enabled && app.kind !== 'library' && app.modes.includes(mode);
}

/** Default kind of the fleet's known apps; any other app is a bot unless it says otherwise. */
export const KNOWN_APP_KINDS: Readonly<Record<string, AppKind>> = {
  'rpc-manager': 'infrastructure',
  'drift-client': 'library',
  'swift-client': 'library',
  'order-management': 'library',
  'risk-manager': 'risk',
};

const hostField = () =>
  z
    .string({ error: 'is not a host name' })
    .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'is not a host name or IP address' });

const urlField = (protocols: string[]) =>
  z.string({ error: 'is not a URL' }).refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: `is not a ${protocols.map((p) => p.replace(':', '')).join('/')} URL` },
  );

const positiveNumber = (what: string) =>
  z
    .number({ error: `is not a ${what}` })
    .refine((v) => Number.isFinite(v) && v > 0, { error: `is not a positive ${what}` });

/** Fee in bps with up to 2 decimals ("3.5", "-0.25") -> parts per million (1 bps = 100 ppm). */
const feeBpsField = () => decimalField(2, { what: 'fee in bps' });

/** A fee tier, 1-based as Drift numbers them (its range is checked against `sim.fees.tiers`). */
const feeTierField = () => intField(1);

const walletSchema = z.strictObject(
  {
    keypairPath: z
      .string({ error: 'is not a path to a keypair file' })
      .min(1, { error: 'is not a path to a keypair file' })
      .refine((s) => !looksLikeInlineSecret(s), {
        error: 'looks like an inline secret key, not a path: put the key in a file and give its path',
      }),
  },
  { error: 'is not { keypairPath: <file path> }: never put key material in the config' },
);

const rpcSchema = z.strictObject({
  endpoints: z
    .array(
      z.strictObject({
        url: urlField(['http:', 'https:']),
        name: z.string().optional(),
        weight: positiveNumber('weight').default(1),
      }),
      { error: 'is not a list of endpoints' },
    )
    .default([]),
  proxy: z
    .strictObject({ host: hostField().default('127.0.0.1'), port: portField().default(8899) })
    .default({ host: '127.0.0.1', port: 8899 }),
});

const fraction = (what: string, min: 'open' | 'closed') =>
  z
    .number({ error: `is not a ${what}` })
    .refine((v) => Number.isFinite(v) && (min === 'open' ? v > 0 : v >= 0) && v <= 1, {
      error: `is not a ${what} in ${min === 'open' ? '(0, 1]' : '[0, 1]'}`,
    });

const rangeField = (what: string) =>
  z
    .strictObject({
      min: z.number({ error: `is not ${what}` }).refine((v) => Number.isFinite(v) && v >= 0, {
        error: `is not ${what} >= 0`,
      }),
      max: z.number({ error: `is not ${what}` }).refine((v) => Number.isFinite(v) && v >= 0, {
        error: `is not ${what} >= 0`,
      }),
    })
    .refine((r) => r.min <= r.max, { error: 'has min above max' });

const rivalSchema = z.strictObject({
  name: z.string({ error: 'is not a name' }).min(1, { error: 'is empty' }),
  participation: fraction('probability', 'closed'),
  edgeBps: rangeField('a number of basis points'),
  latencyMs: rangeField('a number of ms'),
  maxShare: fraction('share', 'open').default(1),
});

const simSchema = z.strictObject({
  host: hostField().default('127.0.0.1'),
  port: portField().default(8790),
  seed: intField(0).default(42),
  speed: positiveNumber('clock multiplier').default(1),
  slotMs: msField().default(400),
  markets: perMarket(
    z.strictObject({
      startPrice: priceField(),
      volatilityBps: bpsField(0).default(50),
      driftBps: z
        .number({ error: 'is not a number of basis points' })
        .refine(Number.isFinite, { error: 'is not a finite number' })
        .default(0),
      replayCsv: z.string().min(1).optional(),
    }),
  ).default({}),
  subAccounts: z
    .record(
      z.string().regex(/^\d+$/, { error: 'is not a sub-account number' }),
      z.strictObject({ collateral: quoteField('non-negative'), feeTier: feeTierField().optional() }),
    )
    .default({}),
  fees: z
    .strictObject({
      makerBps: feeBpsField().default(-25n),
      takerBps: feeBpsField().default(350n),
      tiers: z
        .array(z.strictObject({ makerBps: feeBpsField(), takerBps: feeBpsField() }), {
          error: 'is not a list of { makerBps, takerBps } (the rates of tiers 2 and up)',
        })
        .max(5, { error: "has more than the program's 5 tiers above tier 1" })
        .optional(),
      tier: feeTierField().default(1),
    })
    .default({ makerBps: -25n, takerBps: 350n, tier: 1 }),
  auctionDurationSlots: intField(0).default(10),
  swiftOrdersPerMinute: z
    .number({ error: 'is not a rate' })
    .refine((v) => Number.isFinite(v) && v >= 0, { error: 'is not a non-negative rate' })
    .default(30),
  fundingIntervalMs: msField().default(3_600_000),
  competition: z
    .strictObject({
      rivals: z
        .union([z.literal('default'), z.array(rivalSchema)], {
          error: 'is not "default" or a list of rival makers',
        })
        .default('default'),
      landingDelayMs: intField(0).default(150),
    })
    .default({ rivals: 'default', landingDelayMs: 150 }),
  replayStream: z.string().min(1).optional(),
});

const webhookSchema = z
  .strictObject({
    format: z.enum(['slack', 'discord', 'telegram'], { error: 'is not one of slack|discord|telegram' }),
    url: urlField(['http:', 'https:']).optional(),
    /** Name of an env var holding the URL, so the secret stays out of the file. */
    urlEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'is not an environment variable name' })
      .optional(),
    chatId: z.union([z.string(), z.int()]).transform(String).optional(),
  })
  .refine((w) => (w.url === undefined) !== (w.urlEnv === undefined), {
    error: 'needs exactly one of url or urlEnv',
  });

const breachState = z.enum(['reducing', 'halted'], { error: 'is not reducing|halted' });

/**
 * The freshness bound: past it a market's oracle, or the venue's slot, is stale; the risk manager
 * breaches `staleOracle` and each bot stops adding risk (order-management's freshness guard).
 */
export const DEFAULT_STALE_DATA_MS = 5_000;

export const DEFAULT_FAIL_CLOSED: Omit<FailClosedConfig, 'allowNoRiskManager'> = {
  silenceMs: 10_000,
  state: 'reducing',
};

const riskSchema = z.strictObject({
  maxPositionBase: perMarket(baseField()),
  maxGrossNotional: quoteField(),
  /** "5" = 5x; converted to bps. */
  maxLeverage: decimalField(4, { min: 'positive', what: 'leverage' }),
  dailyLossLimit: quoteField(),
  staleOracleMs: msField()
    .max(300_000, { error: 'is not between 1 and 300000 ms' })
    .default(DEFAULT_STALE_DATA_MS),
  maxOrdersPerMinute: intField(1).default(600),
  onBreach: z
    .strictObject({
      position: breachState.optional(),
      grossNotional: breachState.optional(),
      leverage: breachState.optional(),
      dailyLoss: breachState.optional(),
      staleOracle: breachState.optional(),
      orderRate: breachState.optional(),
    })
    .default({}),
  webhooks: z.array(webhookSchema, { error: 'is not a list of webhooks' }).default([]),
  failClosed: z
    .strictObject({
      silenceMs: intField(500)
        .max(60_000, { error: 'is not between 500 and 60000 ms' })
        .default(DEFAULT_FAIL_CLOSED.silenceMs),
      state: breachState.default(DEFAULT_FAIL_CLOSED.state),
    })
    .default({ silenceMs: DEFAULT_FAIL_CLOSED.silenceMs, state: DEFAULT_FAIL_CLOSED.state }),
  allowNoRiskManager: z.boolean({ error: 'is not true or false' }).default(false),
});

/**
 * Bounds of `orders.expiryMs`: Drift's maxTs is whole seconds and a refresh needs a few of them;
 * past an hour a vanished bot's quotes would outlive any market they were priced for.
 */
export const ORDER_EXPIRY_MS = { min: 10_000, max: 3_600_000, default: 60_000 } as const;

const ordersSchema = z.strictObject({
  expiryMs: intField(ORDER_EXPIRY_MS.min)
    .max(ORDER_EXPIRY_MS.max, {
      error: `is not between ${ORDER_EXPIRY_MS.min} and ${ORDER_EXPIRY_MS.max} ms`,
    })
    .default(ORDER_EXPIRY_MS.default),
});

const restartSchema = z
  .strictObject({
    baseMs: msField().default(500),
    factor: z
      .number({ error: 'is not a number' })
      .refine((v) => Number.isFinite(v) && v >= 1, { error: 'is not a backoff factor >= 1' })
      .default(2),
    capMs: msField().default(30_000),
    stableAfterMs: msField().default(60_000),
    maxRestarts: intField(0).default(5),
    windowMs: msField().default(120_000),
    minUptimeMs: intField(0).default(2_000),
  })
  .refine((r) => r.capMs >= r.baseMs, { error: 'capMs is below baseMs', path: ['capMs'] });

const orchestratorSchema = z.strictObject({
  api: z
    .strictObject({
      host: hostField().default('127.0.0.1'),
      port: portField().default(8780),
      token: z.string().min(16, { error: 'is too short for an API token (16+ characters)' }).optional(),
    })
    .default({ host: '127.0.0.1', port: 8780 }),
  restart: restartSchema.default(restartSchema.parse({})),
  heartbeat: z
    .strictObject({ intervalMs: msField().default(1_000), timeoutMs: msField().default(5_000) })
    .refine((h) => h.timeoutMs > h.intervalMs, {
      error: 'timeoutMs is not above intervalMs',
      path: ['timeoutMs'],
    })
    .default({ intervalMs: 1_000, timeoutMs: 5_000 }),
  readyTimeoutMs: msField().default(30_000),
  stopTimeoutMs: msField().default(10_000),
});

const appSchema = z.strictObject({
  enabled: z.boolean({ error: 'is not true or false' }).default(true),
  kind: z
    .enum(['infrastructure', 'risk', 'bot', 'library'], {
      error: 'is not one of infrastructure|risk|bot|library',
    })
    .optional(),
  subAccount: subAccountField().optional(),
  modes: z
    .array(z.enum(['paper', 'live'], { error: 'is not paper or live' }), { error: 'is not a list of modes' })
    .min(1, { error: 'is empty: give the modes the app runs in' })
    .default(['paper', 'live']),
  params: z.unknown().default({}),
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'is not an environment variable name' }),
      z.union([z.string(), z.number(), z.boolean()], { error: 'is not a string' }).transform(String),
    )
    .default({}),
  stopTimeoutMs: msField().optional(),
  dir: z.string().min(1).optional(),
});

const APP_NAME = /^[a-z][a-z0-9-]*$/;

/** The file's schema before cross-field checks (see `config.ts`). */
export const fleetConfigFileSchema = z.strictObject({
  mode: z.enum(['paper', 'live'], { error: 'is not paper|live' }).default('paper'),
  env: z.enum(['devnet', 'mainnet-beta'], { error: 'is not devnet|mainnet-beta' }).default('devnet'),
  markets: z
    .array(marketField(), { error: 'is not a list of market symbols' })
    .min(1, { error: 'is empty: list at least one market' }),
  wallet: walletSchema.optional(),
  rpc: rpcSchema.default({ endpoints: [], proxy: { host: '127.0.0.1', port: 8899 } }),
  swift: z.strictObject({ url: urlField(['ws:', 'wss:', 'http:', 'https:']).optional() }).default({}),
  sim: simSchema.default(simSchema.parse({})),
  apps: z
    .record(
      z.string().regex(APP_NAME, { error: 'is not an app name (lower-case letters, digits, dashes)' }),
      appSchema,
    )
    .default({}),
  risk: riskSchema,
  orders: ordersSchema.default({ expiryMs: ORDER_EXPIRY_MS.default }),
  orchestrator: orchestratorSchema.default(orchestratorSchema.parse({})),
});

export type FleetConfigFile = z.output<typeof fleetConfigFileSchema>;
