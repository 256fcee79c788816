/**
 * Loads the fleet config (`drift-bots.yaml`), applies documented env overrides, validates it and
 * returns a typed `FleetConfig` with money as bigint. Every problem is reported at once, each naming
 * its path and the offending value (secrets shown as `[redacted]`), and nothing starts on a bad file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BASE_DECIMALS, DEFAULT_ON_BREACH, formatDecimal } from '@drift/domain';
import { DriftError, errorMessage, findWorkspaceRoot } from '@drift/logging';
import { LineCounter, parseDocument, visit } from 'yaml';
import { type z, z as zod } from 'zod';
import {
  type AppConfig,
  DRIFT_PERP_FEE_TIERS_2_UP,
  type FleetConfig,
  type FleetConfigFile,
  fleetConfigFileSchema,
  KNOWN_APP_KINDS,
  type ProcessKind,
  runsAsProcess,
} from './config-schema.js';
import { showValue } from './redact.js';
import { formatIssue } from './zod-issues.js';

export const CONFIG_FILE_NAME = 'drift-bots.yaml';
export const CONFIG_PATH_ENV = 'DRIFT_BOTS_CONFIG';

export class ConfigError extends DriftError {
  override readonly code = 'DRIFT_ERR_CONFIG_INVALID';
  override readonly name = 'ConfigError';
  /** One line per problem: `path: value problem`. */
  readonly issues: readonly string[];
  readonly source: string;

  constructor(source: string, issues: readonly string[]) {
    const n = issues.length;
    super(`invalid config ${source} (${n} problem${n === 1 ? '' : 's'}):\n  ${issues.join('\n  ')}`);
    this.source = source;
    this.issues = issues;
  }
}

type Env = Record<string, string | undefined>;

interface EnvOverride {
  env: string;
  path: readonly string[];
  type: 'string' | 'number' | 'list' | 'endpoints';
  description: string;
  /** Its value is a secret (a URL that may carry a key, a token): never in an exported file in clear. */
  secret?: true;
}

/** The env vars that override config keys (documented in the README). Empty values are ignored. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { env: 'DRIFT_MODE', path: ['mode'], type: 'string', description: 'paper | live' },
  { env: 'DRIFT_ENV', path: ['env'], type: 'string', description: 'devnet | mainnet-beta' },
  { env: 'DRIFT_MARKETS', path: ['markets'], type: 'list', description: 'comma-separated symbols' },
  {
    env: 'DRIFT_RPC_URL',
    path: ['rpc', 'endpoints'],
    type: 'endpoints',
    description: 'comma-separated RPC URLs',
    secret: true,
  },
  {
    env: 'DRIFT_KEYPAIR_PATH',
    path: ['wallet', 'keypairPath'],
    type: 'string',
    description: 'keypair file path',
  },
  {
    env: 'DRIFT_SWIFT_URL',
    path: ['swift', 'url'],
    type: 'string',
    description: 'Swift server URL',
    secret: true,
  },
  {
    env: 'RPC_PROXY_PORT',
    path: ['rpc', 'proxy', 'port'],
    type: 'number',
    description: "rpc-manager's proxy port",
  },
  { env: 'SIM_HOST', path: ['sim', 'host'], type: 'string', description: 'simulator server host' },
  { env: 'SIM_PORT', path: ['sim', 'port'], type: 'number', description: 'simulator server port' },
  { env: 'SIM_SEED', path: ['sim', 'seed'], type: 'number', description: 'simulator random seed' },
  { env: 'SIM_SPEED', path: ['sim', 'speed'], type: 'number', description: 'simulator clock multiplier' },
  {
    env: 'ORCHESTRATOR_HOST',
    path: ['orchestrator', 'api', 'host'],
    type: 'string',
    description: 'API host',
  },
  {
    env: 'ORCHESTRATOR_PORT',
    path: ['orchestrator', 'api', 'port'],
    type: 'number',
    description: 'API port',
  },
  {
    env: 'ORCHESTRATOR_TOKEN',
    path: ['orchestrator', 'api', 'token'],
    type: 'string',
    description: 'API token',
    secret: true,
  },
];

/** `DRIFT_BOTS_CONFIG` (relative to `cwd`) or `<workspace root>/drift-bots.yaml`. */
export function resolveConfigPath(opts: { env?: Env; cwd?: string } = {}): string {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const fromEnv = env[CONFIG_PATH_ENV];
  if (fromEnv) return resolve(cwd, fromEnv);
  const root = findWorkspaceRoot(cwd);
  if (!root) {
    throw new ConfigError(CONFIG_FILE_NAME, [
      `no pnpm-workspace.yaml at or above ${cwd}: set ${CONFIG_PATH_ENV} to the config file`,
    ]);
  }
  return join(root, CONFIG_FILE_NAME);
}

/**
 * The env vars whose values are secrets this config reads: the secret overrides (`DRIFT_RPC_URL`...)
 * and each webhook's `urlEnv`. An export carries them to where secrets go, never into a plain file.
 */
export function secretEnvNames(config: FleetConfig): string[] {
  const names = ENV_OVERRIDES.filter((o) => o.secret).map((o) => o.env);
  for (const w of config.risk.webhooks) if (w.urlEnv) names.push(w.urlEnv);
  return [...new Set(names)];
}

/** Reads, overrides from env, and validates the fleet config. Throws `ConfigError`. */
export function loadFleetConfig(opts: { path?: string; env?: Env; cwd?: string } = {}): FleetConfig {
  const env = opts.env ?? process.env;
  const path = opts.path
    ? resolve(opts.cwd ?? process.cwd(), opts.path)
    : resolveConfigPath({ env, cwd: opts.cwd });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(path, [`cannot read the config file (${code})`]);
  }
  return parseFleetConfig(text, path, { env, baseDir: dirname(path) });
}

/**
 * Validates a config given as YAML text or an already-parsed object. `env` (default: none) applies
 * the env overrides; relative paths resolve against `baseDir` (default: the cwd).
 */
export function parseFleetConfig(
  input: string | object,
  source = '<inline>',
  opts: { env?: Env; baseDir?: string } = {},
): FleetConfig {
  const raw = typeof input === 'string' ? parseYaml(input, source) : structuredClone(input);
  const env = opts.env ?? {};
  const fromEnv = applyEnvOverrides(raw, env);
  const result = fleetConfigFileSchema.safeParse(raw);
  const issues = result.success
    ? []
    : result.error.issues.map((i) => formatIssue(i, raw, fromEnv, fleetConfigFileSchema));
  if (!result.success) throw new ConfigError(source, issues);
  const config = buildConfig(result.data, source, { env, baseDir: opts.baseDir ?? process.cwd() }, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return config;
}

/**
 * Validates one app's `params` with the app's own schema. Errors are prefixed
 * `apps.<app>.params.` and thrown as `ConfigError`. An app missing from the config gets `{}`.
 */
export function parseAppParams<S extends z.ZodType>(
  config: FleetConfig,
  appName: string,
  schema: S,
): z.output<S> {
  const checked = checkAppParams(config, appName, schema);
  if (!checked.ok) throw new ConfigError(config.source, checked.issues);
  return checked.params;
}

/** Size fields every app's params are held to: per market, within the fleet's position limit. */
const SIZE_FIELDS = ['maxOrderBase', 'maxPositionBase'] as const;

/**
 * `parseAppParams` without the throw: every problem of one app's params, each `apps.<app>.params.…`
 * (the orchestrator collects them over all apps before any process starts). Beyond the schema, a
 * per-market `maxOrderBase` / `maxPositionBase` must stay within `risk.maxPositionBase` of its market.
 */
export function checkAppParams<S extends z.ZodType>(
  config: FleetConfig,
  appName: string,
  schema: S,
): { ok: true; params: z.output<S> } | { ok: false; issues: string[] } {
  const params = config.apps[appName]?.params ?? {};
  const prefix = ['apps', appName, 'params'];
  const result = schema.safeParse(params);
  if (!result.success) {
    const wrapped = { apps: { [appName]: { params } } };
    const issues = result.error.issues.map((i) =>
      formatIssue({ ...i, path: [...prefix, ...i.path] }, wrapped, undefined, nestUnder(prefix, schema)),
    );
    return { ok: false, issues };
  }
  const issues: string[] = [];
  for (const field of SIZE_FIELDS) {
    const sizes = (result.data as Record<string, unknown> | undefined)?.[field];
    if (typeof sizes !== 'object' || sizes === null) continue;
    for (const [market, size] of Object.entries(sizes)) {
      if (typeof size !== 'bigint') continue;
      const limit = config.risk.maxPositionBase[market];
      const where = `${prefix.join('.')}.${field}.${market}`;
      const shown = showValue((params as Record<string, Record<string, unknown>>)[field]?.[market], [field]);
      if (limit === undefined)
        issues.push(`${where}: ${shown} has no risk.maxPositionBase.${market} to stay within`);
      else if (size > limit)
        issues.push(
          `${where}: ${shown} is above risk.maxPositionBase.${market} (${formatDecimal(limit, BASE_DECIMALS)})`,
        );
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, params: result.data };
}

/** `schema` as it sits at `path` in the whole file (for the nearest-key lookup). */
function nestUnder(path: readonly string[], schema: z.ZodType): z.ZodType {
  return path.reduceRight<z.ZodType>((inner, key) => zod.object({ [key]: inner }), schema);
}

/** Venue ms per local ms: a paper fleet's simulator runs `sim.speed` times faster; a real venue 1. */
export function venueSpeed(config: Pick<FleetConfig, 'mode' | 'sim'>): number {
  return config.mode === 'paper' ? config.sim.speed : 1;
}

/** The fleet's processes in start order: infrastructure, risk, bots; file order within a kind. */
export function appsInStartOrder(config: FleetConfig): (AppConfig & { kind: ProcessKind })[] {
  const rank: Record<ProcessKind, number> = { infrastructure: 0, risk: 1, bot: 2 };
  return Object.values(config.apps)
    .filter((a): a is AppConfig & { kind: ProcessKind } => runsAsProcess(a, config.mode))
    .sort((a, b) => rank[a.kind] - rank[b.kind]);
}

function parseYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // Only position and reason: the offending line may hold a secret.
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return `line ${line}, column ${col}: ${e.message} (YAML ${e.code})`;
      }),
    );
  }
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return value ?? {};
  } catch (err) {
    // An alias bomb (billion laughs): refused before it is expanded, at the first alias.
    let at = 'line 1, column 1';
    visit(doc, {
      Alias(_key, node) {
        const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
        at = `line ${line}, column ${col}`;
        return visit.BREAK;
      },
    });
    throw new ConfigError(source, [`${at}: ${errorMessage(err)} (YAML aliases expand too far)`]);
  }
}

/** Aliases expanded in the whole file at most (the `yaml` package's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

/** Writes env overrides into `raw`; returns which dotted paths came from which env var. */
function applyEnvOverrides(raw: unknown, env: Env): Map<string, string> {
  const fromEnv = new Map<string, string>();
  if (!isRecord(raw)) return fromEnv;
  for (const o of ENV_OVERRIDES) {
    const text = env[o.env];
    if (text === undefined || text === '') continue;
    let value: unknown = text;
    if (o.type === 'number') value = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    if (o.type === 'list') value = splitList(text);
    if (o.type === 'endpoints') value = splitList(text).map((url) => ({ url }));
    setPath(raw, o.path, value);
    fromEnv.set(o.path.join('.'), o.env);
  }
  return fromEnv;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isRecord(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expandPath(p: string, ctx: { env: Env; baseDir: string }): string {
  if (p === '~' || p.startsWith('~/')) return join(ctx.env.HOME ?? homedir(), p.slice(1));
  return isAbsolute(p) ? p : resolve(ctx.baseDir, p);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Cross-field checks and the final shape. Problems go into `issues`. */
function buildConfig(
  file: FleetConfigFile,
  source: string,
  ctx: { env: Env; baseDir: string },
  issues: string[],
): FleetConfig {
  const fail = (path: string, value: unknown, problem: string) =>
    issues.push(
      `${path}: ${value === undefined ? 'missing:' : showValue(value, path.split('.'))} ${problem}`,
    );

  const seen = new Set<string>();
  file.markets.forEach((m, i) => {
    if (seen.has(m)) fail(`markets.${i}`, m, 'is listed twice');
    seen.add(m);
  });

  for (const m of file.markets) {
    if (file.risk.maxPositionBase[m] === undefined)
      fail(`risk.maxPositionBase.${m}`, undefined, `every market in markets needs a position limit`);
    if (file.mode === 'paper' && file.sim.markets[m] === undefined)
      fail(`sim.markets.${m}`, undefined, 'paper mode needs a startPrice for every market in markets');
  }

  if (file.mode === 'live') {
    if (!file.wallet) fail('wallet.keypairPath', undefined, 'live mode needs a keypair file path');
    if (file.rpc.endpoints.length === 0)
      fail('rpc.endpoints', undefined, 'live mode needs at least one RPC endpoint');
  }

  const api = file.orchestrator.api;
  if (!LOOPBACK.has(api.host) && api.token === undefined)
    fail(
      'orchestrator.api.token',
      undefined,
      `required when orchestrator.api.host (${api.host}) is not loopback`,
    );

  const webhooks = file.risk.webhooks.flatMap((w, i) => {
    const url = w.url ?? (w.urlEnv ? ctx.env[w.urlEnv] : undefined);
    if (!url) {
      fail(`risk.webhooks.${i}.urlEnv`, w.urlEnv, 'is not set in the environment');
      return [];
    }
    return [
      {
        format: w.format,
        url,
        ...(w.urlEnv !== undefined && { urlEnv: w.urlEnv }),
        ...(w.chatId !== undefined && { chatId: w.chatId }),
      },
    ];
  });

  const bySubAccount = new Map<number, string>();
  const apps: Record<string, AppConfig> = {};
  for (const [name, a] of Object.entries(file.apps)) {
    const kind = a.kind ?? KNOWN_APP_KINDS[name] ?? 'bot';
    if (kind === 'bot' && a.subAccount === undefined)
      fail(`apps.${name}.subAccount`, undefined, 'a bot needs its own sub-account');
    if (kind === 'bot' && a.enabled && a.subAccount !== undefined) {
      const other = bySubAccount.get(a.subAccount);
      if (other)
        fail(
          `apps.${name}.subAccount`,
          a.subAccount,
          `is already used by ${other}: bots cannot share a sub-account`,
        );
      else bySubAccount.set(a.subAccount, name);
      if (file.mode === 'paper' && file.sim.subAccounts[a.subAccount] === undefined)
        fail(`apps.${name}.subAccount`, a.subAccount, 'has no collateral in sim.subAccounts (paper mode)');
    }
    apps[name] = {
      name,
      enabled: a.enabled,
      kind,
      modes: a.modes,
      ...(a.subAccount !== undefined && { subAccount: a.subAccount }),
      params: a.params,
      env: a.env,
      stopTimeoutMs: a.stopTimeoutMs ?? file.orchestrator.stopTimeoutMs,
      dir: a.dir ?? `apps/${name}`,
    };
  }

  const sim = file.sim;
  const feeTiers = sim.fees.tiers?.map((t) => ({ makerPpm: t.makerBps, takerPpm: t.takerBps })) ?? [
    ...DRIFT_PERP_FEE_TIERS_2_UP,
  ];
  const checkTier = (path: string, tier: number | undefined) => {
    if (tier !== undefined && tier > feeTiers.length + 1)
      fail(path, tier, `is not a fee tier: sim.fees has tiers 1..${feeTiers.length + 1}`);
  };
  checkTier('sim.fees.tier', sim.fees.tier);
  for (const [sub, a] of Object.entries(sim.subAccounts))
    checkTier(`sim.subAccounts.${sub}.feeTier`, a.feeTier);
  return {
    source,
    mode: file.mode,
    env: file.env,
    markets: file.markets,
    ...(file.wallet && { wallet: { keypairPath: expandPath(file.wallet.keypairPath, ctx) } }),
    rpc: file.rpc,
    swift: file.swift,
    sim: {
      host: sim.host,
      port: sim.port,
      seed: sim.seed,
      speed: sim.speed,
      slotMs: sim.slotMs,
      markets: Object.fromEntries(
        Object.entries(sim.markets).map(([m, s]) => [
          m,
          { ...s, ...(s.replayCsv !== undefined && { replayCsv: expandPath(s.replayCsv, ctx) }) },
        ]),
      ),
      subAccounts: Object.fromEntries(Object.entries(sim.subAccounts).map(([k, v]) => [Number(k), v])),
      fees: {
        makerPpm: sim.fees.makerBps,
        takerPpm: sim.fees.takerBps,
        tiers: feeTiers,
        tier: sim.fees.tier,
      },
      auctionDurationSlots: sim.auctionDurationSlots,
      swiftOrdersPerMinute: sim.swiftOrdersPerMinute,
      fundingIntervalMs: sim.fundingIntervalMs,
      competition: sim.competition,
      ...(sim.replayStream !== undefined && { replayStream: expandPath(sim.replayStream, ctx) }),
    },
    apps,
    risk: {
      maxPositionBase: file.risk.maxPositionBase,
      maxGrossNotional: file.risk.maxGrossNotional,
      maxLeverageBps: file.risk.maxLeverage,
      dailyLossLimit: file.risk.dailyLossLimit,
      staleOracleMs: file.risk.staleOracleMs,
      maxOrdersPerMinute: file.risk.maxOrdersPerMinute,
      onBreach: { ...DEFAULT_ON_BREACH, ...stripUndefined(file.risk.onBreach) },
      webhooks,
    },
    failClosed: { ...file.risk.failClosed, allowNoRiskManager: file.risk.allowNoRiskManager },
    orders: file.orders,
    orchestrator: file.orchestrator,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
