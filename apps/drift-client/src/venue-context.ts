/**
 * What every part of the Drift venue reads: its options, the connected SDK client, the followed
 * sub-accounts and markets, the caller's client order ids by Drift order id, and the clock. One
 * place, so the connection, the order transactions and the event stream agree on them.
 */
import type { MarketSpec, RejectReason } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { DriftClient, DriftEnv, PerpMarketConfig, SpotMarketConfig, User } from '@drift-labs/sdk';
import type { Connection, Keypair } from '@solana/web3.js';
import type { AccountViewAge } from './account-view-age.js';
import { perpMarketConfigs } from './markets.js';
import type { DriftClientParams } from './params.js';
import { type AccountMark, markOf } from './tx-outcome.js';

export interface DriftVenueOptions {
  env: DriftEnv;
  /** JSON-RPC URL (may carry an API key: never logged). Unused when `connection` is given. */
  rpcUrl: string;
  /** WebSocket URL; derived from rpcUrl by the web3.js rules when absent. */
  wsUrl?: string;
  /** A connection to use instead of one made from rpcUrl (a local cluster, a fork, a test). */
  connection?: Connection;
  keypair: Keypair;
  markets: readonly string[];
  /**
   * Perp market and oracle configuration to resolve `markets` in, instead of the SDK's fixed
   * `PerpMarkets[env]` (a local cluster's or a fork's markets).
   */
  perpMarkets?: readonly PerpMarketConfig[];
  /** The quote (USDC) spot market's configuration; default the SDK's `SpotMarkets[env][0]`. */
  quoteSpotMarket?: SpotMarketConfig;
  subAccount: number;
  /** Further sub-accounts of the same authority to follow (the risk manager's view). */
  subAccounts?: readonly number[];
  params: DriftClientParams;
  logger: LoggerLike;
  /**
   * Local clock (ms, default the wall clock): venue time, oracle and order timestamps, the check
   * that an order's expiry is still ahead, and when a vanished order's grace ends.
   */
  now?: () => number;
}

export class VenueContext {
  readonly subAccount: number;
  /** The followed sub-accounts, ascending. */
  readonly subs: number[];
  readonly configs: PerpMarketConfig[];
  readonly logger: LoggerLike;
  readonly now: () => number;
  client: DriftClient | undefined;
  /** How current the followed user accounts' views are (set with the client). */
  accountAge: AccountViewAge | undefined;
  specs: MarketSpec[] = [];
  /** sub-account -> Drift order id -> caller's client order id. */
  private readonly clientIds = new Map<number, Map<number, string>>();
  /** Local time each market's oracle slot was first seen (for staleness). */
  private readonly oracleSeen = new Map<number, { slot: number; ts: number }>();
  private nextUserOrderId = 1;

  constructor(readonly opts: DriftVenueOptions) {
    this.subAccount = opts.subAccount;
    this.subs = [...new Set([opts.subAccount, ...(opts.subAccounts ?? [])])].sort((a, b) => a - b);
    this.configs = perpMarketConfigs(opts.env, opts.markets, opts.perpMarkets);
    this.logger = opts.logger.child({ component: 'drift-client' });
    this.now = opts.now ?? Date.now;
  }

  /** The authority (wallet) public key, base58. */
  get authority(): string {
    return this.opts.keypair.publicKey.toBase58();
  }

  need(): DriftClient {
    if (!this.client) throw new Error('drift venue is not connected');
    return this.client;
  }

  user(sub: number): User | undefined {
    const client = this.need();
    return this.subs.includes(sub) && client.hasUser(sub) ? client.getUser(sub) : undefined;
  }

  config(market: string): PerpMarketConfig {
    const config = this.configs.find((c) => c.symbol === market);
    if (!config) throw new RangeError(`market ${market} is not one of ${this.opts.markets.join(', ')}`);
    return config;
  }

  spec(market: string): MarketSpec | undefined {
    return this.specs.find((s) => s.symbol === market);
  }

  symbolOf(marketIndex: number): string | undefined {
    return this.configs.find((c) => c.marketIndex === marketIndex)?.symbol;
  }

  clientOrderIds(sub: number): Map<number, string> {
    let map = this.clientIds.get(sub);
    if (!map) {
      map = new Map();
      this.clientIds.set(sub, map);
    }
    return map;
  }

  clientOrderIdOf(sub: number, orderId: number): string | undefined {
    return this.clientIds.get(sub)?.get(orderId);
  }

  /** A 1..255 user order id no open order of the sub-account uses. */
  freeUserOrderId(user: User | undefined): number {
    const used = new Set(user?.getOpenOrders().map((o) => o.userOrderId) ?? []);
    for (let i = 0; i < 255; i++) {
      const id = this.nextUserOrderId;
      this.nextUserOrderId = (this.nextUserOrderId % 255) + 1;
      if (!used.has(id)) return id;
    }
    throw new Error('all 255 user order ids are in use');
  }

  /** When this oracle slot was first seen, by the local clock. */
  seenAt(marketIndex: number, slot: number): number {
    const seen = this.oracleSeen.get(marketIndex);
    if (seen && seen.slot === slot) return seen.ts;
    const ts = this.now();
    this.oracleSeen.set(marketIndex, { slot, ts });
    return ts;
  }

  async nowFromSlot(): Promise<{ slot: number; ts: number }> {
    const client = this.need();
    const slot = client.getUser(this.subAccount).getUserAccountAndSlot()?.slot ?? 0;
    return { slot, ts: this.now() };
  }

  /** The slot the sub-account's user account was last read at (0 when not read). */
  accountSlot(sub: number): number {
    return this.user(sub)?.getUserAccountAndSlot()?.slot ?? 0;
  }

  /** The user account as last read, for comparing with a later read (`tx-outcome.ts`). */
  markOf(user: User): AccountMark | undefined {
    const current = user.getUserAccountAndSlot();
    return current ? markOf(current.data, current.slot) : undefined;
  }

  unknownMarket(market: string): Rejected {
    return reject('unknown-market', `${market} is not one of ${this.opts.markets.join(', ')}`);
  }
}

export type Rejected = { ok: false; reason: RejectReason; message: string };

export function reject(reason: RejectReason, message: string): Rejected {
  return { ok: false, reason, message };
}
