/**
 * A small Drift "chain" for offline tests: the State, perp markets, the USDC spot market, Pyth Lazer
 * oracles and users, encoded with the SDK's own BorshAccountsCoder and served by JsonRpcServer.
 * Values are what the program stores (Drift precisions), so the SDK decodes and computes on them
 * exactly as it would against a cluster.
 */
import {
  BN,
  DRIFT_PROGRAM_ID,
  DriftClient,
  getDriftStateAccountPublicKey,
  getPerpMarketPublicKeySync,
  getSpotMarketPublicKeySync,
  getUserAccountPublicKeySync,
  getUserStatsAccountPublicKey,
  OracleSource,
  PerpMarkets,
  PublicKey,
  SpotMarkets,
  Wallet,
} from '@drift-labs/sdk';
import { ComputeBudgetProgram, Connection, Keypair, Transaction } from '@solana/web3.js';
import { accountValue, type Idl } from './idl-values.js';
import type { JsonRpcServer } from './json-rpc-server.js';

export const PROGRAM_ID = new PublicKey(DRIFT_PROGRAM_ID);
const ENV = 'devnet' as const;

export interface PerpMarketSetup {
  marketIndex: number;
  /** Oracle price, PRICE_PRECISION. */
  price: bigint;
  tickSize: bigint;
  stepSize: bigint;
  minOrderSize: bigint;
  marginRatioInitial?: number;
  marginRatioMaintenance?: number;
}

export interface PerpPositionSetup {
  marketIndex: number;
  baseAssetAmount: bigint;
  /** Drift sign: negative for a long (quote paid). */
  quoteEntryAmount: bigint;
  quoteAssetAmount?: bigint;
}

export interface OrderSetup {
  orderId: number;
  userOrderId?: number;
  marketIndex: number;
  direction: 'long' | 'short';
  price: bigint;
  baseAssetAmount: bigint;
  baseAssetAmountFilled?: bigint;
  postOnly?: boolean;
  reduceOnly?: boolean;
  slot?: number;
  /** Default limit. */
  orderType?: 'limit' | 'market' | 'oracle';
  /** A taker's auction (absolute prices; offsets from the oracle for oracle orders). */
  auction?: { startPrice: bigint; endPrice: bigint; durationSlots: number };
  /** Oracle orders: the limit as an offset from the oracle, PRICE_PRECISION. */
  oraclePriceOffset?: number;
}

export interface UserSetup {
  authority: PublicKey;
  subAccountId: number;
  /** USDC deposit, QUOTE_PRECISION (6 decimals). */
  usdcDeposit: bigint;
  positions?: PerpPositionSetup[];
  orders?: OrderSetup[];
}

/** Encodes Drift accounts with the SDK's coder (borrowed from a DriftClient that never connects). */
export class DriftChain {
  readonly coder: DriftClient['program']['coder'];
  readonly idl: Idl;

  constructor(private readonly rpc: JsonRpcServer) {
    const client = new DriftClient({
      connection: new Connection(rpc.url, { wsEndpoint: rpc.url.replace('http', 'ws') }),
      wallet: new Wallet(Keypair.generate()),
      env: ENV,
      perpMarketIndexes: [],
      spotMarketIndexes: [],
      oracleInfos: [],
      skipLoadUsers: true,
    });
    this.coder = client.program.coder;
    this.idl = client.program.idl as unknown as Idl;
  }

  /**
   * The coder's own layout and discriminator for `name`. Its `encode()` writes into a fixed
   * 1000-byte buffer (anchor 0.29), too small for PerpMarket and User, so the same layout is
   * given a buffer of the account's size.
   */
  encodeAccount(name: string, value: Record<string, unknown>): Buffer {
    const accounts = this.coder.accounts as unknown as {
      accountLayouts: Map<string, { encode(v: unknown, b: Buffer): number }>;
      constructor: { accountDiscriminator(name: string): Buffer };
    };
    const layout = accounts.accountLayouts.get(name);
    if (!layout) throw new Error(`unknown account ${name}`);
    const buffer = Buffer.alloc(16_384);
    const len = layout.encode(value, buffer);
    return Buffer.concat([accounts.constructor.accountDiscriminator(name), buffer.subarray(0, len)]);
  }

  private async put(pubkey: PublicKey, name: string, value: Record<string, unknown>): Promise<void> {
    const data = this.encodeAccount(name, value);
    this.rpc.setAccount(pubkey.toBase58(), { data, owner: PROGRAM_ID.toBase58() });
  }

  /** Instructions of a wire transaction: Drift ones decoded, others by program id. */
  decodeTransaction(wire: Buffer): { drift: DecodedIx[]; programs: string[]; computeUnitPrice?: bigint } {
    const tx = Transaction.from(wire);
    const drift: DecodedIx[] = [];
    let computeUnitPrice: bigint | undefined;
    for (const ix of tx.instructions) {
      if (ix.programId.equals(PROGRAM_ID)) {
        // The coder is anchor's BorshInstructionCoder; its `decode` is not on the Coder interface type.
        const decoded = (this.coder.instruction as unknown as InstructionDecoder).decode(ix.data);
        if (!decoded) throw new Error('undecodable Drift instruction');
        drift.push({
          name: decoded.name,
          data: decoded.data as Record<string, unknown>,
          keys: ix.keys.map((k) => k.pubkey.toBase58()),
        });
      }
      if (ix.programId.equals(ComputeBudgetProgram.programId) && ix.data[0] === 3) {
        computeUnitPrice = ix.data.readBigUInt64LE(1);
      }
    }
    return {
      drift,
      programs: tx.instructions.map((ix) => ix.programId.toBase58()),
      ...(computeUnitPrice !== undefined && { computeUnitPrice }),
    };
  }

  /** `Program data:` log line of event `name` (zero except `overrides`), as the program emits it. */
  eventLog(name: string, overrides: Record<string, unknown>): string {
    const events = this.coder.events as unknown as {
      layouts: Map<string, { encode(v: unknown, b: Buffer): number }>;
      discriminators: Map<string, string>;
    };
    const layout = events.layouts.get(name);
    const disc = [...events.discriminators.entries()].find(([, n]) => n === name)?.[0];
    if (!layout || !disc) throw new Error(`unknown event ${name}`);
    const buffer = Buffer.alloc(4096);
    const len = layout.encode(accountValue(this.idl, name, overrides), buffer);
    return `Program data: ${Buffer.concat([Buffer.from(disc, 'base64'), buffer.subarray(0, len)]).toString('base64')}`;
  }

  /** Logs of a successful Drift instruction that emitted `events`. */
  programLogs(events: string[]): string[] {
    const id = PROGRAM_ID.toBase58();
    return [
      `Program ${id} invoke [1]`,
      ...events,
      `Program ${id} consumed 1000 of 400000 compute units`,
      `Program ${id} success`,
    ];
  }

  /** The decoded User account as stored now. */
  user(
    authority: PublicKey,
    subAccountId: number,
  ): Record<string, unknown> & { orders: Record<string, unknown>[]; nextOrderId: number } {
    const key = getUserAccountPublicKeySync(PROGRAM_ID, authority, subAccountId).toBase58();
    const stored = this.rpc.accounts.get(key);
    if (!stored) throw new Error(`no user ${key}`);
    return this.coder.accounts.decode('User', stored.data);
  }

  putUser(authority: PublicKey, subAccountId: number, value: Record<string, unknown>): void {
    const key = getUserAccountPublicKeySync(PROGRAM_ID, authority, subAccountId);
    this.rpc.setAccount(key.toBase58(), {
      data: this.encodeAccount('User', value),
      owner: PROGRAM_ID.toBase58(),
    });
  }

  async setState(): Promise<void> {
    const key = await getDriftStateAccountPublicKey(PROGRAM_ID);
    await this.put(
      key,
      'State',
      accountValue(this.idl, 'State', {
        numberOfMarkets: 3,
        numberOfSpotMarkets: 1,
        maxNumberOfSubAccounts: 100,
      }),
    );
  }

  async setPerpMarket(m: PerpMarketSetup): Promise<void> {
    const config = PerpMarkets[ENV][m.marketIndex];
    if (!config) throw new Error(`no devnet perp market ${m.marketIndex}`);
    const reserve = new BN('1000000000000000'); // 1e6 base of AMM depth
    await this.put(
      getPerpMarketPublicKeySync(PROGRAM_ID, m.marketIndex),
      'PerpMarket',
      accountValue(this.idl, 'PerpMarket', {
        pubkey: getPerpMarketPublicKeySync(PROGRAM_ID, m.marketIndex),
        marketIndex: m.marketIndex,
        name: nameBytes(config.symbol),
        status: { active: {} },
        marginRatioInitial: m.marginRatioInitial ?? 1000,
        marginRatioMaintenance: m.marginRatioMaintenance ?? 500,
        amm: {
          oracle: config.oracle,
          oracleSource: OracleSource.PYTH_LAZER,
          orderTickSize: new BN(m.tickSize.toString()),
          orderStepSize: new BN(m.stepSize.toString()),
          minOrderSize: new BN(m.minOrderSize.toString()),
          baseAssetReserve: reserve,
          quoteAssetReserve: reserve,
          sqrtK: reserve,
          minBaseAssetReserve: reserve.divn(2),
          maxBaseAssetReserve: reserve.muln(2),
          pegMultiplier: new BN(m.price.toString()),
          longSpread: 500,
          shortSpread: 500,
          baseSpread: 1000,
          maxSpread: 10000,
          historicalOracleData: {
            lastOraclePrice: new BN(m.price.toString()),
            lastOraclePriceTwap: new BN(m.price.toString()),
            lastOraclePriceTwap5Min: new BN(m.price.toString()),
          },
        },
      }),
    );
    await this.setOracle(m.marketIndex, m.price);
  }

  /** A Pyth Lazer oracle account (price with exponent -6, so PRICE_PRECISION maps 1:1). */
  async setOracle(marketIndex: number, price: bigint, postedSlot = this.rpc.slot): Promise<void> {
    const config = PerpMarkets[ENV][marketIndex];
    if (!config) throw new Error(`no devnet perp market ${marketIndex}`);
    await this.put(
      config.oracle,
      'PythLazerOracle',
      accountValue(this.idl, 'PythLazerOracle', {
        price: new BN(price.toString()),
        publishTime: new BN(1_700_000_000_000_000),
        postedSlot: new BN(postedSlot),
        exponent: -6,
        conf: new BN(1000),
      }),
    );
  }

  async setUsdcSpotMarket(): Promise<void> {
    const config = SpotMarkets[ENV][0];
    if (!config) throw new Error('no devnet spot market 0');
    const one = new BN(10).pow(new BN(10)); // SPOT_MARKET_CUMULATIVE_INTEREST_PRECISION
    await this.put(
      getSpotMarketPublicKeySync(PROGRAM_ID, 0),
      'SpotMarket',
      accountValue(this.idl, 'SpotMarket', {
        pubkey: getSpotMarketPublicKeySync(PROGRAM_ID, 0),
        oracle: config.oracle,
        mint: config.mint,
        name: nameBytes('USDC'),
        marketIndex: 0,
        decimals: 6,
        status: { active: {} },
        oracleSource: OracleSource.PYTH_LAZER_STABLE_COIN,
        cumulativeDepositInterest: one,
        cumulativeBorrowInterest: one,
        initialAssetWeight: 10000,
        maintenanceAssetWeight: 10000,
        initialLiabilityWeight: 10000,
        maintenanceLiabilityWeight: 10000,
        historicalOracleData: { lastOraclePrice: new BN(1_000_000), lastOraclePriceTwap: new BN(1_000_000) },
      }),
    );
    await this.put(
      config.oracle,
      'PythLazerOracle',
      accountValue(this.idl, 'PythLazerOracle', {
        price: new BN(1_000_000),
        postedSlot: new BN(this.rpc.slot),
        exponent: -6,
        conf: new BN(10),
      }),
    );
  }

  async setUser(u: UserSetup): Promise<PublicKey> {
    const key = getUserAccountPublicKeySync(PROGRAM_ID, u.authority, u.subAccountId);
    const spot = accountValue(this.idl, 'SpotPosition', {
      // SPOT_MARKET_BALANCE_PRECISION is 1e9: a 6-decimal token amount * 1e3.
      scaledBalance: new BN((u.usdcDeposit * 1000n).toString()),
      marketIndex: 0,
      balanceType: { deposit: {} },
    });
    const perps = (u.positions ?? []).map((p) =>
      accountValue(this.idl, 'PerpPosition', {
        marketIndex: p.marketIndex,
        baseAssetAmount: new BN(p.baseAssetAmount.toString()),
        quoteEntryAmount: new BN(p.quoteEntryAmount.toString()),
        quoteBreakEvenAmount: new BN(p.quoteEntryAmount.toString()),
        quoteAssetAmount: new BN((p.quoteAssetAmount ?? p.quoteEntryAmount).toString()),
        openOrders: (u.orders ?? []).filter((o) => o.marketIndex === p.marketIndex).length,
      }),
    );
    for (const o of u.orders ?? []) {
      if (!perps.some((p) => p.marketIndex === o.marketIndex)) {
        perps.push(accountValue(this.idl, 'PerpPosition', { marketIndex: o.marketIndex, openOrders: 1 }));
      }
    }
    const orders = (u.orders ?? []).map((o) =>
      accountValue(this.idl, 'Order', {
        status: { open: {} },
        orderType: { [o.orderType ?? 'limit']: {} },
        auctionStartPrice: new BN((o.auction?.startPrice ?? 0n).toString()),
        auctionEndPrice: new BN((o.auction?.endPrice ?? 0n).toString()),
        auctionDuration: o.auction?.durationSlots ?? 0,
        oraclePriceOffset: o.oraclePriceOffset ?? 0,
        marketType: { perp: {} },
        slot: new BN(o.slot ?? this.rpc.slot),
        orderId: o.orderId,
        userOrderId: o.userOrderId ?? 0,
        marketIndex: o.marketIndex,
        price: new BN(o.price.toString()),
        baseAssetAmount: new BN(o.baseAssetAmount.toString()),
        baseAssetAmountFilled: new BN((o.baseAssetAmountFilled ?? 0n).toString()),
        direction: { [o.direction]: {} },
        postOnly: o.postOnly ?? false,
        reduceOnly: o.reduceOnly ?? false,
      }),
    );
    const empty = (name: string) => accountValue(this.idl, name);
    await this.put(
      key,
      'User',
      accountValue(this.idl, 'User', {
        authority: u.authority,
        subAccountId: u.subAccountId,
        spotPositions: [spot, ...Array.from({ length: 7 }, () => empty('SpotPosition'))],
        perpPositions: [...perps, ...Array.from({ length: 8 - perps.length }, () => empty('PerpPosition'))],
        orders: [...orders, ...Array.from({ length: 32 - orders.length }, () => empty('Order'))],
        nextOrderId: Math.max(1, ...(u.orders ?? []).map((o) => o.orderId + 1)),
        openOrders: orders.length,
        hasOpenOrder: orders.length > 0,
        // What the SDK's getUserWithAuctionFilter selects on.
        hasOpenAuction: (u.orders ?? []).some((o) => o.auction !== undefined),
        isMarginTradingEnabled: true,
      }),
    );
    const stats = getUserStatsAccountPublicKey(PROGRAM_ID, u.authority);
    await this.put(stats, 'UserStats', accountValue(this.idl, 'UserStats', { authority: u.authority }));
    return key;
  }
}

interface InstructionDecoder {
  decode(data: Buffer): { name: string; data: unknown } | null;
}

/** A Drift instruction of a transaction, decoded with the SDK's instruction coder. */
export interface DecodedIx {
  name: string;
  data: Record<string, unknown>;
  keys: string[];
}

export function nameBytes(name: string): number[] {
  const bytes = Array.from({ length: 32 }, () => 32);
  Buffer.from(name).forEach((b, i) => {
    bytes[i] = b;
  });
  return bytes;
}
