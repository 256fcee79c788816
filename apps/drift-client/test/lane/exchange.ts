/**
 * The exchange the lane trades on, created through the real program's admin instructions: the
 * State, the USDC spot market (quote asset), SOL-PERP priced by a mock Pyth oracle, and users with
 * USDC deposited. Instructions are built with the SDK's program coder; the 2.84 program ignores the
 * trailing `lpPoolId` argument newer SDKs append to `initializePerpMarket` and needs no `ammCache`.
 */
import { createHash } from 'node:crypto';
import {
  BN,
  type DriftClient,
  encodeName,
  getDriftSignerPublicKey,
  getDriftStateAccountPublicKey,
  getInsuranceFundVaultPublicKey,
  getPerpMarketPublicKeySync,
  getSpotMarketPublicKeySync,
  getSpotMarketVaultPublicKey,
  getUserAccountPublicKeySync,
  getUserStatsAccountPublicKey,
  OracleSource,
  type PerpMarketConfig,
  SPOT_MARKET_RATE_PRECISION,
  SPOT_MARKET_WEIGHT_PRECISION,
  type SpotMarketConfig,
} from '@drift-labs/sdk';
import {
  Keypair,
  PublicKey,
  SYSVAR_RENT_PUBKEY,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';
import { offlineDriftClient } from '../../src/live.js';
import { type BankrunChain, DRIFT_ID, PYTH_ID } from './bankrun-chain.js';

export const TOKEN_PROGRAM = new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const PYTH_PRICE_ACCOUNT_SIZE = 3312;
/** Pyth v2 price account: `last_slot` (u64), the slot the SDK reports for the price. */
const PYTH_LAST_SLOT_OFFSET = 32;
const LAMPORTS = 1_000_000_000;

/** SOL-PERP as the lane creates it (values in Drift precisions). */
export const SOL_PERP = {
  symbol: 'SOL-PERP',
  marketIndex: 0,
  /** $150, PRICE_PRECISION. */
  price: 150_000_000n,
  tickSize: 100n,
  stepSize: 10_000_000n,
  minOrderSize: 10_000_000n,
};

export interface LaneUser {
  keypair: Keypair;
  subAccounts: number[];
  userAccount(sub?: number): PublicKey;
}

export class LaneExchange {
  readonly admin = Keypair.generate();
  readonly usdcMint = Keypair.generate().publicKey;
  readonly solOracle = Keypair.generate();
  private readonly coder: DriftClient;

  constructor(readonly chain: BankrunChain) {
    this.coder = offlineDriftClient('devnet', chain.url);
  }

  /** The market and oracle configuration a DriftVenue on this exchange is given. */
  perpMarketConfigs(): PerpMarketConfig[] {
    return [
      {
        fullName: 'Solana',
        category: ['L1'],
        symbol: SOL_PERP.symbol,
        baseAssetSymbol: 'SOL',
        marketIndex: SOL_PERP.marketIndex,
        launchTs: 0,
        oracle: this.solOracle.publicKey,
        oracleSource: OracleSource.PYTH,
      },
    ];
  }

  spotMarketConfigs(): SpotMarketConfig[] {
    return [
      {
        symbol: 'USDC',
        marketIndex: 0,
        poolId: 0,
        oracle: SystemProgram.programId,
        oracleSource: OracleSource.QUOTE_ASSET,
        mint: this.usdcMint,
        precision: new BN(1_000_000),
        precisionExp: new BN(6),
      },
    ];
  }

  async create(): Promise<void> {
    const { chain } = this;
    const program = this.coder.program;
    chain.setAccount(this.admin.publicKey, systemAccount(1_000 * LAMPORTS));
    chain.setAccount(this.usdcMint, {
      lamports: LAMPORTS,
      data: mintData(this.admin.publicKey),
      owner: TOKEN_PROGRAM,
    });
    const state = await getDriftStateAccountPublicKey(DRIFT_ID);
    const signer = getDriftSignerPublicKey(DRIFT_ID);
    await this.admin_(
      await instruction(
        program,
        'initialize',
      )({
        accounts: {
          admin: this.admin.publicKey,
          state,
          quoteAssetMint: this.usdcMint,
          rent: SYSVAR_RENT_PUBKEY,
          driftSigner: signer,
          systemProgram: SystemProgram.programId,
          tokenProgram: TOKEN_PROGRAM,
        },
      }),
    );
    await this.admin_(
      await instruction(program, 'initializeSpotMarket')(
        SPOT_MARKET_RATE_PRECISION.divn(2).toNumber(),
        SPOT_MARKET_RATE_PRECISION.toNumber(),
        SPOT_MARKET_RATE_PRECISION.toNumber(),
        OracleSource.QUOTE_ASSET,
        SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
        SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
        SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
        SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
        0,
        0,
        0,
        true,
        { collateral: {} },
        new BN(0),
        new BN(0),
        new BN(1),
        new BN(1),
        0,
        encodeName('USDC'),
        {
          accounts: {
            admin: this.admin.publicKey,
            state,
            spotMarket: getSpotMarketPublicKeySync(DRIFT_ID, 0),
            spotMarketVault: await getSpotMarketVaultPublicKey(DRIFT_ID, 0),
            insuranceFundVault: await getInsuranceFundVaultPublicKey(DRIFT_ID, 0),
            driftSigner: signer,
            spotMarketMint: this.usdcMint,
            oracle: SystemProgram.programId,
            rent: SYSVAR_RENT_PUBKEY,
            systemProgram: SystemProgram.programId,
            tokenProgram: TOKEN_PROGRAM,
          },
        },
      ),
    );
    await this.createOracle(SOL_PERP.price);
    const sqrtK = new BN(5).mul(new BN(10).pow(new BN(16)));
    await this.admin_(
      await instruction(program, 'initializePerpMarket')(
        SOL_PERP.marketIndex,
        sqrtK,
        sqrtK,
        new BN(3600),
        new BN(Number(SOL_PERP.price)),
        OracleSource.PYTH,
        { speculative: {} },
        2000,
        500,
        0,
        10000,
        0,
        true,
        0,
        142500,
        new BN(0),
        new BN(0),
        new BN(0),
        new BN(Number(SOL_PERP.stepSize)),
        new BN(Number(SOL_PERP.tickSize)),
        new BN(Number(SOL_PERP.minOrderSize)),
        new BN(1),
        0,
        0,
        encodeName(SOL_PERP.symbol),
        0,
        {
          accounts: {
            admin: this.admin.publicKey,
            state,
            perpMarket: getPerpMarketPublicKeySync(DRIFT_ID, SOL_PERP.marketIndex),
            oracle: this.solOracle.publicKey,
            rent: SYSVAR_RENT_PUBKEY,
            systemProgram: SystemProgram.programId,
          },
        },
      ),
    );
  }

  /** A mock Pyth price account (expo -6, so the price is in PRICE_PRECISION) published now. */
  private async createOracle(price: bigint): Promise<void> {
    const { chain } = this;
    const pyth = this.pythCoder();
    const tx = new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: this.admin.publicKey,
        newAccountPubkey: this.solOracle.publicKey,
        lamports: 100 * LAMPORTS,
        space: PYTH_PRICE_ACCOUNT_SIZE,
        programId: PYTH_ID,
      }),
      pyth.ix('initialize', [i64(price), i32(-6), u64(0n)]),
    );
    await chain.send(tx, [this.admin, this.solOracle]);
    await this.setOraclePrice(price);
  }

  /**
   * Publishes a new oracle price at the slot its transaction runs in (a fresh oracle for margin and
   * fills). The mock program's setPriceInfo sets only `valid_slot`, which the Drift program reads;
   * the SDK reads `last_slot`, which a real Pyth publisher sets with it: written here first, so a
   * venue sees the oracle advance (otherwise its slot reads 0 forever and it goes stale).
   */
  async setOraclePrice(price: bigint): Promise<void> {
    const slot = BigInt(this.chain.rpc.slot + 1);
    const oracle = this.solOracle.publicKey;
    const current = await this.chain.account(oracle);
    if (!current) throw new Error('the oracle account does not exist');
    const data = Buffer.from(current.data);
    data.writeBigUInt64LE(slot, PYTH_LAST_SLOT_OFFSET);
    this.chain.setAccount(oracle, { lamports: Number(current.lamports), data, owner: current.owner });
    await this.chain.send(
      new Transaction().add(this.pythCoder().ix('setPriceInfo', [i64(price), u64(0n), u64(slot)])),
      [this.admin],
    );
  }

  /**
   * The State's `min_perp_auction_duration`: the slots a new taker order waits before the AMM may
   * fill it (2.84's `initialize` sets 10; 0 lets a place-and-take take from the AMM at once).
   */
  async setMinPerpAuctionDuration(slots: number): Promise<void> {
    await this.admin_(
      await instruction(this.coder.program, 'updatePerpAuctionDuration')(slots, {
        accounts: { admin: this.admin.publicKey, state: await getDriftStateAccountPublicKey(DRIFT_ID) },
      }),
    );
  }

  /** A user with SOL for fees, USDC deposited into each sub-account. */
  async createUser(opts: { usdc: bigint; subAccounts?: number[] }): Promise<LaneUser> {
    const keypair = Keypair.generate();
    const subAccounts = opts.subAccounts ?? [0];
    const { chain } = this;
    const program = this.coder.program;
    const authority = keypair.publicKey;
    const userStats = getUserStatsAccountPublicKey(DRIFT_ID, authority);
    const state = await getDriftStateAccountPublicKey(DRIFT_ID);
    const tokenAccount = Keypair.generate().publicKey;
    chain.setAccount(authority, systemAccount(100 * LAMPORTS));
    const total = opts.usdc * BigInt(subAccounts.length);
    chain.setAccount(tokenAccount, {
      lamports: LAMPORTS,
      data: tokenAccountData(this.usdcMint, authority, total),
      owner: TOKEN_PROGRAM,
    });
    const common = {
      state,
      authority,
      payer: authority,
      rent: SYSVAR_RENT_PUBKEY,
      systemProgram: SystemProgram.programId,
    };
    const ixs: TransactionInstruction[] = [
      await instruction(program, 'initializeUserStats')({ accounts: { userStats, ...common } }),
    ];
    for (const sub of subAccounts) {
      const user = getUserAccountPublicKeySync(DRIFT_ID, authority, sub);
      ixs.push(
        await instruction(program, 'initializeUser')(sub, encodeName(`lane ${sub}`), {
          accounts: { user, userStats, ...common },
        }),
        await instruction(program, 'deposit')(0, new BN(opts.usdc.toString()), false, {
          accounts: {
            state,
            user,
            userStats,
            authority,
            spotMarketVault: await getSpotMarketVaultPublicKey(DRIFT_ID, 0),
            userTokenAccount: tokenAccount,
            tokenProgram: TOKEN_PROGRAM,
          },
          remainingAccounts: [
            { pubkey: getSpotMarketPublicKeySync(DRIFT_ID, 0), isSigner: false, isWritable: true },
          ],
        }),
      );
    }
    await chain.send(new Transaction().add(...ixs), [keypair]);
    return {
      keypair,
      subAccounts,
      userAccount: (sub = 0) => getUserAccountPublicKeySync(DRIFT_ID, authority, sub),
    };
  }

  private async admin_(ix: TransactionInstruction): Promise<void> {
    await this.chain.send(new Transaction().add(ix), [this.admin]);
  }

  /** Instructions of the mock Pyth program (Anchor: sha256("global:<snake_name>")[..8] + borsh args). */
  private pythCoder() {
    const oracle = this.solOracle.publicKey;
    return {
      ix: (name: 'initialize' | 'setPriceInfo', args: Buffer[]): TransactionInstruction => ({
        programId: PYTH_ID,
        keys: [{ pubkey: oracle, isSigner: false, isWritable: true }],
        data: Buffer.concat([anchorDiscriminator(name), ...args]),
      }),
    };
  }
}

/** An instruction builder of the SDK's program coder (fails loudly if the IDL lacks it). */
function instruction(
  program: DriftClient['program'],
  name: string,
): (...args: unknown[]) => TransactionInstruction {
  const build = (
    program.instruction as unknown as Record<
      string,
      ((...args: unknown[]) => TransactionInstruction) | undefined
    >
  )[name];
  if (!build) throw new Error(`the SDK's Drift IDL has no instruction ${name}`);
  return build;
}

function anchorDiscriminator(name: string): Buffer {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return createHash('sha256').update(`global:${snake}`).digest().subarray(0, 8);
}

function i64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
}
function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}
function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

function systemAccount(lamports: number) {
  return { lamports, data: Buffer.alloc(0), owner: SystemProgram.programId };
}

/** SPL Token Mint (82 bytes): authority, supply, 6 decimals, initialized. */
function mintData(authority: PublicKey): Buffer {
  const b = Buffer.alloc(82);
  b.writeUInt32LE(1, 0);
  authority.toBuffer().copy(b, 4);
  b.writeBigUInt64LE(10n ** 15n, 36);
  b.writeUInt8(6, 44);
  b.writeUInt8(1, 45);
  return b;
}

/** SPL Token Account (165 bytes): mint, owner, amount, initialized. */
function tokenAccountData(mint: PublicKey, owner: PublicKey, amount: bigint): Buffer {
  const b = Buffer.alloc(165);
  mint.toBuffer().copy(b, 0);
  owner.toBuffer().copy(b, 32);
  b.writeBigUInt64LE(amount, 64);
  b.writeUInt8(1, 108);
  return b;
}
