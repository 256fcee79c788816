/**
 * `createVenue(config, opts)`: the one factory the bots call. Paper mode gives the simulator's
 * `SimVenue` (the fleet's sim server when it answers, else an engine embedded in this process);
 * live mode gives `DriftVenue` over the SDK. The venue is returned unconnected: call `connect()`.
 * The SDK is imported only on the live path, so a paper-mode process never loads it.
 */
import { type FleetConfig, parseAppParams } from '@drift/config';
import type { Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { AppLifecycle } from '@drift/runtime';
import { SimVenue } from '@drift/sim';
import type { PerpMarketConfig, SpotMarketConfig } from '@drift-labs/sdk';
import type { Connection, Keypair } from '@solana/web3.js';
import { resolveSim, type SimChoice, simChoiceFor, stopEmbeddedEngine } from './paper.js';
import { type DriftClientParams, driftClientParamsSchema } from './params.js';
import { resolveRpc } from './rpc-endpoint.js';

export interface CreateVenueOptions {
  logger: LoggerLike;
  /** Sub-account to trade; default `apps.<appName>.subAccount`, else 0. */
  subAccount?: number;
  /** The calling app (for its configured sub-account). */
  appName?: string;
  /** Also follow these sub-accounts; `'all'`: every sub-account of the fleet (the risk manager's view). */
  subAccounts?: readonly number[] | 'all';
  /** Paper: `auto` (server if it answers, else embedded), `embedded` or `remote`. */
  sim?: SimChoice;
  /** Live: JSON-RPC URL; default rpc-manager's proxy when it answers, else `rpc.endpoints[0]`. */
  rpcUrl?: string;
  wsUrl?: string;
  /** Live: drift-client settings; default `apps.drift-client.params`. */
  params?: DriftClientParams;
  /** Live: a keypair instead of `wallet.keypairPath` (tests). */
  keypair?: Keypair;
  /** Live: a connection instead of one made from the RPC URL (a local cluster, a fork, a test). */
  connection?: Connection;
  /** Live: perp market and oracle configs instead of the SDK's for `env` (a local cluster's). */
  perpMarkets?: readonly PerpMarketConfig[];
  /** Live: the quote spot market's config instead of the SDK's USDC for `env`. */
  quoteSpotMarket?: SpotMarketConfig;
}

export async function createVenue(config: FleetConfig, opts: CreateVenueOptions): Promise<Venue> {
  const subAccount =
    opts.subAccount ?? (opts.appName ? config.apps[opts.appName]?.subAccount : undefined) ?? 0;
  const logger = opts.logger.child({ component: 'drift-client' });
  if (config.mode === 'paper') {
    const target = await resolveSim(config, opts.sim ?? 'auto', logger);
    const options = { allSubAccounts: opts.subAccounts === 'all' };
    logger.info({ mode: 'paper', sim: target.kind, subAccount }, 'venue: simulator');
    return target.kind === 'remote'
      ? SimVenue.remote(target.url, subAccount, options)
      : SimVenue.embedded(target.engine, subAccount, options);
  }
  const { DriftVenue, loadKeypairFile } = await import('./live.js');
  const keypairPath = config.wallet?.keypairPath;
  if (!opts.keypair && !keypairPath) throw new Error('wallet.keypairPath: required in live mode');
  const keypair = opts.keypair ?? loadKeypairFile(keypairPath as string);
  const rpc = opts.connection
    ? { rpcUrl: opts.connection.rpcEndpoint, via: 'connection' }
    : opts.rpcUrl
      ? { rpcUrl: opts.rpcUrl, ...(opts.wsUrl !== undefined && { wsUrl: opts.wsUrl }) }
      : await resolveRpc(config);
  logger.info({ mode: 'live', env: config.env, via: rpc.via ?? 'explicit', subAccount }, 'venue: drift');
  return new DriftVenue({
    env: config.env,
    ...rpc,
    keypair,
    ...(opts.connection && { connection: opts.connection }),
    ...(opts.perpMarkets && { perpMarkets: opts.perpMarkets }),
    ...(opts.quoteSpotMarket && { quoteSpotMarket: opts.quoteSpotMarket }),
    markets: config.markets,
    subAccount,
    subAccounts: opts.subAccounts === 'all' ? fleetSubAccounts(config) : (opts.subAccounts ?? []),
    params: opts.params ?? parseAppParams(config, 'drift-client', driftClientParamsSchema),
    logger: opts.logger,
  });
}

/**
 * `createVenue`, connected, and closed at the app's shutdown (with the embedded simulator, if this
 * process runs one): what every app's main does first.
 */
export async function openVenue(
  app: Pick<AppLifecycle, 'onShutdown' | 'supervised'>,
  config: FleetConfig,
  opts: CreateVenueOptions,
): Promise<Venue> {
  const venue = await createVenue(config, { ...opts, sim: opts.sim ?? simChoiceFor(app.supervised) });
  app.onShutdown('close venue', async () => {
    await venue.close();
    stopEmbeddedEngine();
  });
  await venue.connect();
  return venue;
}

/** Sub-accounts the fleet's apps trade on (live `'all'`: the ones that have Drift user accounts). */
function fleetSubAccounts(config: FleetConfig): number[] {
  const subs = Object.values(config.apps).flatMap((a) =>
    a.enabled && a.subAccount !== undefined ? [a.subAccount] : [],
  );
  return [...new Set(subs)].sort((a, b) => a - b);
}
