/**
 * `createTakerSource(config, opts)`: the taker order stream a maker bot listens to. Paper mode: the
 * simulator's signed stream (the fleet's sim server when it answers, else the engine embedded in
 * this process, the same one `createVenue` uses). Live mode: `SwiftClient` on the configured Swift
 * server (`swift.url`), or Drift's public one for the env when none is configured. The SDK (which
 * decodes Swift messages) is imported only on the live path: a paper-mode process never loads it.
 */
import { type FleetConfig, parseAppParams } from '@drift/config';
import type { TakerOrderSource } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { SimTakerStream } from '@drift/sim';
import type { Keypair } from '@solana/web3.js';
import { resolveSim, type SimChoice } from 'drift-client';
import { type SwiftClientParams, swiftClientParamsSchema } from './params.js';
import { DEVNET_SWIFT_URL, MAINNET_SWIFT_URL } from './protocol.js';

export interface CreateTakerSourceOptions {
  logger: LoggerLike;
  /** Paper: `auto` (server if it answers, else embedded), `embedded` or `remote`. */
  sim?: SimChoice;
  /** Live: the Swift server; default `swift.url`, else Drift's public server for `env`. */
  url?: string;
  /** Live: the key that answers the server's challenge; default the wallet's. */
  keypair?: Keypair;
  /** Live: default `apps.swift-client.params`. */
  params?: SwiftClientParams;
}

export async function createTakerSource(
  config: FleetConfig,
  opts: CreateTakerSourceOptions,
): Promise<TakerOrderSource> {
  const logger = opts.logger.child({ component: 'swift-client' });
  if (config.mode === 'paper') {
    const target = await resolveSim(config, opts.sim ?? 'auto', logger);
    logger.info({ mode: 'paper', sim: target.kind }, 'taker source: simulator');
    return target.kind === 'remote'
      ? SimTakerStream.remote(target.url)
      : SimTakerStream.embedded(target.engine);
  }
  const [{ SwiftClient }, { loadKeypairFile, offlineDriftClient }] = await Promise.all([
    import('./swift-client.js'),
    import('drift-client/live'),
  ]);
  const keypairPath = config.wallet?.keypairPath;
  if (!opts.keypair && !keypairPath) throw new Error('wallet.keypairPath: required in live mode');
  const keypair = opts.keypair ?? loadKeypairFile(keypairPath as string);
  const params = opts.params ?? parseAppParams(config, 'swift-client', swiftClientParamsSchema);
  const url = swiftUrl(opts.url ?? config.swift.url, config.env);
  logger.info(
    { mode: 'live', env: config.env, url: new URL(url).host, maker: keypair.publicKey.toBase58() },
    'taker source: swift',
  );
  return new SwiftClient({
    url,
    env: config.env,
    keypair,
    decoder: offlineDriftClient(config.env),
    logger: opts.logger,
    reconnect: params.reconnect,
    heartbeatTimeoutMs: params.heartbeatTimeoutMs,
    verifySignatures: params.verifySignatures,
    acceptSanitized: params.acceptSanitized,
    acceptDepositTrades: params.acceptDepositTrades,
  });
}

/** The configured URL as a WebSocket URL (http -> ws), or the env's public server. */
export function swiftUrl(configured: string | undefined, env: FleetConfig['env']): string {
  if (configured === undefined) return env === 'devnet' ? DEVNET_SWIFT_URL : MAINNET_SWIFT_URL;
  const url = new URL(configured);
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol === 'http:') url.protocol = 'ws:';
  return url.toString();
}
