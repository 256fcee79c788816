/**
 * A bot process for the lane's SIGKILL test: DriftVenue on the lane's node (LANE_MODE: websocket or
 * polling) plus order-management with a SQLite journal; reconciles at start, then places
 * LANE_ORDERS post-only bids with stable client ids (`lane-bot-<i>`), printing one line per
 * answer. Killed and run again by the test.
 */

import type { LoggerLike } from '@drift/logging';
import { OracleSource, type PerpMarketConfig } from '@drift-labs/sdk';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import { OrderManager } from 'order-management';
import { DriftVenue } from '../../src/drift-venue.js';
import { laneParams, MODES, type Mode } from './lane-params.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const url = env('LANE_RPC');
const mode = env('LANE_MODE') as Mode;
if (!MODES.includes(mode)) throw new Error(`LANE_MODE: ${mode} is not one of ${MODES.join(', ')}`);
const market: PerpMarketConfig = {
  fullName: 'Solana',
  category: ['L1'],
  symbol: 'SOL-PERP',
  baseAssetSymbol: 'SOL',
  marketIndex: 0,
  launchTs: 0,
  oracle: new PublicKey(env('LANE_ORACLE')),
  oracleSource: OracleSource.PYTH,
};
/** Errors to stderr (the test prints them if the child fails); the rest is not needed here. */
const quiet = () => undefined;
const logger: LoggerLike = {
  child: () => logger,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: (fields, message) =>
    process.stderr.write(`${message ?? ''} ${String((fields as { err?: unknown }).err ?? '')}\n`),
  fatal: (fields, message) => logger.error(fields, message),
};
const venue = new DriftVenue({
  env: 'devnet',
  rpcUrl: url,
  connection: new Connection(url, { commitment: 'confirmed', wsEndpoint: url.replace('http', 'ws') }),
  keypair: Keypair.fromSecretKey(Uint8Array.from(JSON.parse(env('LANE_KEY')) as number[])),
  markets: ['SOL-PERP'],
  perpMarkets: [market],
  quoteSpotMarket: JSON.parse(env('LANE_QUOTE'), (k, v) =>
    k === 'oracle' || k === 'mint' ? new PublicKey(v as string) : v,
  ),
  subAccount: 0,
  params: laneParams(mode),
  logger,
});
await venue.connect();
const orders = new OrderManager({
  bot: 'lane-bot',
  venue,
  journal: env('LANE_JOURNAL'),
  logger,
  rateLimit: false,
});
const summary = await orders.start();
process.stdout.write(`started ${JSON.stringify(summary)}\n`);
for (let i = 0; i < Number(env('LANE_ORDERS')); i++) {
  const result = await orders.place({
    market: 'SOL-PERP',
    side: 'buy',
    type: 'limit',
    price: 140_000_000n - BigInt(i) * 10_000n,
    baseAmount: 100_000_000n,
    postOnly: true,
    clientOrderId: `lane-bot-${i}`,
  });
  process.stdout.write(`${i} ${result.ok ? result.order.status : result.reason}\n`);
}
await orders.stop({ cancel: false });
await venue.close();
process.exit(0);
