/**
 * rpc-manager's settings: the fleet config (`rpc.endpoints`, `rpc.proxy`, `apps.rpc-manager.params`),
 * then command-line flags on top. Every error names the field or flag and its value, with
 * credentials in URLs redacted.
 */
import { type FleetConfig, parseAppParams, redactUrl } from '@drift/config';
import { DriftError } from '@drift/logging';
import { CliUsageError, type FlagValuesOf, parseFlags } from '@drift/runtime';
import { z } from 'zod';
import type { EndpointConfig } from './endpoint.js';
import { POOL_DEFAULTS, type PoolOptions } from './pool.js';
import { RELAY_DEFAULTS } from './proxy/proxy-server.js';
import type { RelayOptions } from './proxy/subscription-relay.js';

export class SettingsError extends DriftError {
  override readonly code = 'DRIFT_ERR_RPC_SETTINGS_INVALID';
  override readonly name = 'SettingsError';
}

const ms = (what: string) =>
  z.int({ error: `is not a whole number of ms (${what})` }).min(1, { error: 'is not >= 1 ms' });
const count = z.int({ error: 'is not a whole number' }).min(1, { error: 'is not >= 1' });

/** `apps.rpc-manager.params` in the fleet config. Unknown keys are refused (typos do not pass silently). */
export const rpcManagerParamsSchema = z.strictObject({
  healthCheckMs: ms('probe interval').default(POOL_DEFAULTS.healthCheckMs),
  probeTimeoutMs: ms('probe timeout').default(POOL_DEFAULTS.probeTimeoutMs),
  maxSlotLag: z.int({ error: 'is not a whole number of slots' }).min(0).default(POOL_DEFAULTS.maxSlotLag),
  requestTimeoutMs: ms('per attempt').default(POOL_DEFAULTS.requestTimeoutMs),
  maxAttempts: count.default(POOL_DEFAULTS.maxAttempts),
  backoff: z
    .strictObject({ baseMs: ms('first retry delay'), capMs: ms('longest delay') })
    .refine((b) => b.baseMs <= b.capMs, { error: 'capMs is below baseMs', path: ['capMs'] })
    .default(POOL_DEFAULTS.backoff),
  breaker: z
    .strictObject({ failureThreshold: count, openMs: ms('open period') })
    .default(POOL_DEFAULTS.breaker),
  ambiguousSendRetry: z
    .enum(['never', 'other-endpoints', 'same-endpoint'], {
      error: 'is not never|other-endpoints|same-endpoint',
    })
    .default(POOL_DEFAULTS.ambiguousSendRetry),
  wsPingMs: ms('upstream WebSocket ping').default(RELAY_DEFAULTS.pingMs),
});
export type RpcManagerParams = z.output<typeof rpcManagerParamsSchema>;

export interface Settings {
  endpoints: EndpointConfig[];
  host: string;
  port: number;
  /** undefined: port + 1 (web3.js's convention); false: no second WebSocket port. */
  wsPort: number | false | undefined;
  pool: Omit<PoolOptions, 'endpoints' | 'logger'>;
  relay: Partial<RelayOptions>;
}

export interface CliArgs {
  config?: string;
  endpoints: string[];
  host?: string;
  port?: number;
  wsPort?: number | false;
  help: boolean;
}

export const USAGE = `usage: pnpm --filter rpc-manager start [-- options]
  --config <path>     fleet config (default: DRIFT_BOTS_CONFIG or <workspace>/drift-bots.yaml)
  --endpoint <url>    upstream RPC URL; repeat for several (replaces rpc.endpoints;
                      paper mode default: the simulator's Solana RPC at <sim>/solana)
  --host <host>       proxy host (default rpc.proxy.host)
  --port <n>          proxy port (default rpc.proxy.port; 0 = any free port)
  --ws-port <n|off>   second WebSocket port (default port + 1, as web3.js expects)
env: DRIFT_RPC_URL (comma-separated endpoints), RPC_PROXY_PORT, DRIFT_BOTS_CONFIG`;

const CLI_OPTIONS = {
  config: { type: 'string' },
  endpoint: { type: 'string', multiple: true },
  host: { type: 'string' },
  port: { type: 'string' },
  'ws-port': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let v: FlagValuesOf<typeof CLI_OPTIONS>;
  try {
    v = parseFlags(argv, CLI_OPTIONS); // names the flag; a stray URL is shown redacted
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    throw new SettingsError(`command line: ${err.message}\n${USAGE}`);
  }
  const endpoints = (v.endpoint ?? []).map((url, i) => checkUrl(url, `--endpoint #${i + 1}`));
  return {
    endpoints,
    help: v.help ?? false,
    ...(v.config !== undefined && { config: v.config }),
    ...(v.host !== undefined && { host: checkHost(v.host, '--host') }),
    ...(v.port !== undefined && { port: checkPort(v.port, '--port') }),
    ...(v['ws-port'] !== undefined && {
      wsPort: v['ws-port'] === 'off' ? false : checkPort(v['ws-port'], '--ws-port'),
    }),
  };
}

/** Combines the fleet config and the command line. Throws `SettingsError` or @drift/config's `ConfigError`. */
export function resolveSettings(config: FleetConfig, cli: CliArgs): Settings {
  const params = parseAppParams(config, 'rpc-manager', rpcManagerParamsSchema);
  const endpoints: EndpointConfig[] =
    cli.endpoints.length > 0
      ? cli.endpoints.map((url) => ({ url }))
      : config.mode === 'paper'
        ? paperEndpoints(config)
        : config.rpc.endpoints.map((e) => ({
            url: e.url,
            weight: e.weight,
            ...(e.name !== undefined && { name: e.name }),
          }));
  if (endpoints.length === 0)
    throw new SettingsError(
      'rpc.endpoints: [] is empty: list at least one upstream RPC URL (or pass --endpoint / set DRIFT_RPC_URL)',
    );
  for (const [i, e] of endpoints.entries()) {
    checkUrl(e.url, `rpc.endpoints.${i}.url`);
    // Paper mode sends nothing to a network: an endpoint given on the command line stays on loopback.
    if (config.mode === 'paper' && !onLoopback(e.url))
      throw new SettingsError(
        `--endpoint: ${JSON.stringify(redactUrl(e.url))} is not on loopback: paper mode sends nothing to a network`,
      );
  }
  const port = cli.port ?? config.rpc.proxy.port;
  return {
    endpoints,
    host: cli.host ?? config.rpc.proxy.host,
    port,
    wsPort: cli.wsPort,
    pool: {
      healthCheckMs: params.healthCheckMs,
      probeTimeoutMs: params.probeTimeoutMs,
      maxSlotLag: params.maxSlotLag,
      requestTimeoutMs: params.requestTimeoutMs,
      maxAttempts: params.maxAttempts,
      backoff: params.backoff,
      breaker: params.breaker,
      ambiguousSendRetry: params.ambiguousSendRetry,
    },
    relay: { pingMs: params.wsPingMs },
  };
}

/** A valid http(s) URL, or an error naming `field` and the URL with its credentials redacted. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const onLoopback = (url: string) => {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * Paper mode sends nothing to a network: the configured endpoints (`DRIFT_RPC_URL` included) that
 * are on loopback (a local test upstream), else the simulator's Solana-compatible RPC.
 */
function paperEndpoints(config: FleetConfig): EndpointConfig[] {
  const local = config.rpc.endpoints.filter((e) => onLoopback(e.url));
  if (local.length === 0)
    return [{ url: `http://${config.sim.host}:${config.sim.port}/solana`, name: 'sim' }];
  return local.map((e) => ({ url: e.url, weight: e.weight, ...(e.name !== undefined && { name: e.name }) }));
}

/** Paper mode: the configured endpoints left out for being off loopback (main.ts WARNs). */
export function paperEndpointsIgnored(config: FleetConfig): number {
  return config.mode === 'paper' ? config.rpc.endpoints.filter((e) => !onLoopback(e.url)).length : 0;
}

export function checkUrl(url: string, field: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new SettingsError(`${field}: ${JSON.stringify(redactUrl(url))} is not an http(s) URL`);
  return url;
}

function checkPort(text: string, field: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new SettingsError(`${field}: ${JSON.stringify(text)} is not a port number (0-65535)`);
  return port;
}

function checkHost(text: string, field: string): string {
  if (text.trim() === '' || /[\s/]/.test(text))
    throw new SettingsError(`${field}: ${JSON.stringify(text)} is not a host name or address`);
  return text;
}
