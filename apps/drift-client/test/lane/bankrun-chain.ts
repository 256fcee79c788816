/**
 * The compiled Drift program in solana-bankrun, served as a Solana node on 127.0.0.1: JSON-RPC and
 * PubSub from `JsonRpcServer`, every transaction executed by the real program (preflight included),
 * the accounts it touched republished with account/program notifications and its logs with log
 * notifications. The test decides how a node misbehaves: which of the two notifications goes out
 * first, one of them dropped, `getTransaction` answering null, transactions never landing.
 */
import { readFileSync } from 'node:fs';
import { DRIFT_PROGRAM_ID } from '@drift-labs/sdk';
import { type Keypair, PublicKey, Transaction } from '@solana/web3.js';
import { JsonRpcServer, type StoredTx, type TxOutcome } from '../support/json-rpc-server.js';
import type { LanePrograms } from './programs.js';

export const DRIFT_ID = new PublicKey(DRIFT_PROGRAM_ID);
export const PYTH_ID = new PublicKey('FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH');
const BPF_LOADER_ID = new PublicKey('BPFLoader2111111111111111111111111111111111');

/** A compiled program as the executable account the BPF loader runs. */
function programAccount(soFile: string): AccountBytes {
  const data = readFileSync(soFile);
  return { lamports: 1_000_000_000_000, data, owner: BPF_LOADER_ID, executable: true, rentEpoch: 0 };
}

/** The part of solana-bankrun's API used here (it is loaded from the SDK's install, untyped). */
interface AccountBytes {
  lamports: number;
  data: Uint8Array;
  owner: PublicKey;
  executable: boolean;
  rentEpoch?: number;
}
interface BanksResult {
  result: string | null;
  meta: { logMessages: string[] } | null;
}
interface BanksClient {
  getAccount(address: PublicKey): Promise<AccountBytes | null>;
  tryProcessTransaction(tx: Transaction): Promise<BanksResult>;
  simulateTransaction(tx: Transaction): Promise<BanksResult>;
  getLatestBlockhash(): Promise<[string, bigint] | null>;
  getSlot(): Promise<bigint>;
  getClock(): Promise<BankClock>;
}
interface BankClock {
  slot: bigint;
  epochStartTimestamp: bigint;
  epoch: bigint;
  leaderScheduleEpoch: bigint;
  unixTimestamp: bigint;
}
interface ProgramTestContext {
  banksClient: BanksClient;
  setAccount(address: PublicKey, account: AccountBytes): void;
  warpToSlot(slot: bigint): void;
  setClock(clock: unknown): void;
}
interface Bankrun {
  ProgramTestContext: new (inner: NativeContext) => ProgramTestContext;
  Clock: new (
    slot: bigint,
    epochStartTimestamp: bigint,
    epoch: bigint,
    leaderScheduleEpoch: bigint,
    unixTimestamp: bigint,
  ) => unknown;
}
/** solana-bankrun's napi binding (what its JS `start` wraps), with its opaque native objects. */
type NativeAccount = object;
type NativeContext = object;
interface BankrunNative {
  Account: new (
    lamports: bigint,
    data: Uint8Array,
    owner: Uint8Array,
    executable: boolean,
    rentEpoch: bigint,
  ) => NativeAccount;
  start(
    programs: [string, Uint8Array][],
    accounts: [Uint8Array, NativeAccount][],
    computeMaxUnits?: bigint,
  ): Promise<NativeContext>;
}

/** How the node publishes a landed transaction's account updates and logs. */
export interface Delivery {
  order: 'accounts-first' | 'logs-first';
  /** Account notifications of these addresses are never sent (the data is still served by RPC). */
  dropAccounts: ReadonlySet<string>;
  /** Log notifications of transactions mentioning these addresses are never sent. */
  dropLogsOf: ReadonlySet<string>;
  /** The second kind of notification goes out this long after the first (a node's skew). */
  gapMs?: number;
}

const DEFAULT_DELIVERY: Delivery = {
  order: 'accounts-first',
  dropAccounts: new Set(),
  dropLogsOf: new Set(),
};

/**
 * The arguments of bank starts still running. The native `start` borrows its Account objects and
 * reads them on its own thread after returning its promise; bankrun's JS `start` drops its only
 * references to them at once, so a garbage collection in that window freed the program bytes being
 * copied: a SIGSEGV in memcpy on a bankrun thread, the test worker gone without a word ("Worker
 * exited unexpectedly", tests 0 ms). Referenced here until the start resolves, they cannot be.
 */
const STARTING = new Set<unknown>();

/** Starts a bank with `accounts` at genesis, their native copies held until it has started. */
async function startBank(
  bankrun: Bankrun,
  native: BankrunNative,
  accounts: [PublicKey, AccountBytes][],
): Promise<ProgramTestContext> {
  const args = accounts.map(([address, a]): [Uint8Array, NativeAccount] => [
    address.toBytes(),
    new native.Account(BigInt(a.lamports), a.data, a.owner.toBytes(), a.executable, BigInt(a.rentEpoch ?? 0)),
  ]);
  STARTING.add(args);
  try {
    return new bankrun.ProgramTestContext(await native.start([], args, 1_400_000n));
  } finally {
    STARTING.delete(args);
  }
}

export class BankrunChain {
  readonly rpc = new JsonRpcServer();
  delivery: Delivery = DEFAULT_DELIVERY;
  /** `getTransaction` answers null this many times for transactions landing from now on (Infinity: always). */
  hideLanded = 0;
  /** Accounts this node is behind on: it keeps serving their bytes from before (reads and notifications). */
  readonly lagging = new Set<string>();
  private readonly hidden = new Map<string, number>();
  /** Accounts touched by a transaction the last time it ran (published on landing). */
  private readonly changed = new Map<string, string[]>();
  /** The bank's slot: it only moves forward, one slot at a time (see `warpTo`). */
  private bankSlot = 0;

  private constructor(
    private readonly context: ProgramTestContext,
    private readonly bankrun: Bankrun,
  ) {}

  static async start(programs: LanePrograms): Promise<BankrunChain> {
    // The bank logs every instruction at debug level otherwise.
    process.env.RUST_LOG ??= 'error';
    // Programs go in as executable accounts of the BPF loader (what solana-program-test's own
    // add_program does with a file), not as names to look up in SBF_OUT_DIR: the native start
    // borrows a name the same way as an account (see STARTING), and one reached Rust as garbage.
    const bankrun = programs.bankrun as Bankrun;
    const context = await startBank(bankrun, programs.bankrunNative as BankrunNative, [
      [DRIFT_ID, programAccount(programs.drift)],
      [PYTH_ID, programAccount(programs.pyth)],
    ]);
    const chain = new BankrunChain(context, bankrun);
    await chain.init();
    return chain;
  }

  private async init(): Promise<void> {
    const { rpc } = this;
    this.context.warpToSlot(BigInt(rpc.slot));
    this.bankSlot = rpc.slot;
    rpc.latestBlockhash = async () => {
      const latest = await this.context.banksClient.getLatestBlockhash();
      if (!latest) throw new Error('bankrun has no blockhash');
      return latest[0];
    };
    rpc.preflight = async (wire) => outcomeOf(await this.banks.simulateTransaction(Transaction.from(wire)));
    rpc.onTransaction = (wire, signature) => this.execute(wire, signature);
    rpc.onLanded = (tx) => this.publish(tx);
    rpc.transactionVisible = (signature, asked) => asked > (this.hidden.get(signature) ?? 0);
    await rpc.start();
  }

  /** The bank's clock, unix seconds (what the program compares `max_ts` with). */
  async unixTime(): Promise<number> {
    return Number((await this.banks.getClock()).unixTimestamp);
  }

  /** The bank's slot (the clock a transaction run or simulated now sees). */
  async clockSlot(): Promise<number> {
    return Number((await this.banks.getClock()).slot);
  }

  /** Sets the bank's unix time (the slot stays): time passes for the program alone. */
  async setUnixTime(seconds: number): Promise<void> {
    const c = await this.banks.getClock();
    this.context.setClock(
      new this.bankrun.Clock(c.slot, c.epochStartTimestamp, c.epoch, c.leaderScheduleEpoch, BigInt(seconds)),
    );
  }

  get banks(): BanksClient {
    return this.context.banksClient;
  }

  get url(): string {
    return this.rpc.url;
  }

  async stop(): Promise<void> {
    await this.rpc.stop();
  }

  /** Writes an account straight into the bank (SOL and token balances of test users) and serves it. */
  setAccount(address: PublicKey, account: { lamports: number; data: Buffer; owner: PublicKey }): void {
    this.context.setAccount(address, { ...account, executable: false, rentEpoch: 0 });
    this.rpc.setAccount(address.toBase58(), {
      data: account.data,
      owner: account.owner.toBase58(),
      lamports: account.lamports,
    });
  }

  /** Signs and sends through the node, as any client would; throws with the logs on failure. */
  async send(tx: Transaction, signers: Keypair[]): Promise<StoredTx> {
    const blockhash = await this.rpc.latestBlockhash?.();
    if (!blockhash) throw new Error('chain not started');
    tx.recentBlockhash = blockhash;
    tx.feePayer ??= signers[0]?.publicKey;
    tx.sign(...signers);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'sendTransaction',
        params: [tx.serialize().toString('base64'), { encoding: 'base64', skipPreflight: true }],
      }),
    });
    const body = (await response.json()) as { result?: string; error?: { message: string } };
    if (!body.result) throw new Error(`sendTransaction: ${body.error?.message ?? 'no answer'}`);
    const landed = this.rpc.transactions.find((t) => t.signature === body.result);
    if (!landed) throw new Error(`transaction ${body.result} did not land`);
    if (landed.outcome.err) {
      throw new Error(
        `transaction failed: ${JSON.stringify(landed.outcome.err)}\n${landed.outcome.logs.join('\n')}`,
      );
    }
    return landed;
  }

  /**
   * From now on the node hides what transactions do to `account`: getTransaction answers null,
   * their logs are not pushed, and (with `lag`) the account's bytes stay as they were. Returns
   * the undo for the first two (`catchUp` and `reveal` end the rest).
   */
  hideOutcomes(account: PublicKey, opts: { lag: boolean }): () => void {
    const key = account.toBase58();
    this.hideLanded = Number.POSITIVE_INFINITY;
    if (opts.lag) this.lagging.add(key);
    this.delivery = { order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set([key]) };
    return () => {
      this.hideLanded = 0;
      this.delivery = DEFAULT_DELIVERY;
    };
  }

  /**
   * Runs `send` while the node accepts transactions but never lands them, its block height racing
   * ahead (so their blockhash expires at once).
   */
  async neverLanding<T>(send: () => Promise<T>): Promise<T> {
    this.rpc.dropIncoming = true;
    this.rpc.blockHeightStep = 50;
    try {
      return await send();
    } finally {
      this.rpc.dropIncoming = false;
      this.rpc.blockHeightStep = 0;
    }
  }

  /** The next slot, with no transaction in it (a live chain's slot advances on its own). */
  tick(): void {
    this.rpc.slot += 1;
    this.warpTo(this.rpc.slot);
  }

  /**
   * The bank moves to `slot` one slot at a time, never back. A warp across several slots makes
   * bankrun verify its accounts hash, which the lane's direct account writes (oracle prices, test
   * balances) fail with a panic that kills the test worker; a warp to the slot it is at (two
   * transactions sent at once) is an error. Both happened when the slot was warped directly.
   */
  private warpTo(slot: number): void {
    while (this.bankSlot < slot) {
      this.bankSlot += 1;
      this.context.warpToSlot(BigInt(this.bankSlot));
    }
  }

  /** `getTransaction` answers for every landed transaction again. */
  reveal(): void {
    this.hidden.clear();
  }

  /** The node catches up on an account it lagged behind on (and notifies its subscribers). */
  async catchUp(address: PublicKey): Promise<void> {
    const key = address.toBase58();
    this.lagging.delete(key);
    this.rpc.slot += 1;
    this.warpTo(this.rpc.slot);
    const now = await this.banks.getAccount(address);
    if (now) {
      this.rpc.setAccount(key, {
        data: Buffer.from(now.data),
        owner: now.owner.toBase58(),
        lamports: Number(now.lamports),
      });
    }
  }

  /** The bank's current bytes of an account. */
  async account(address: PublicKey): Promise<AccountBytes | null> {
    return this.banks.getAccount(address);
  }

  /** Runs a transaction in the bank at the node's next slot and records what it touched. */
  private async execute(wire: Buffer, signature: string): Promise<TxOutcome> {
    this.warpTo(this.rpc.slot + 1);
    const tx = Transaction.from(wire);
    const result = await this.banks.tryProcessTransaction(tx);
    const keys = tx.compileMessage().accountKeys.map((k) => k.toBase58());
    const touched: string[] = [];
    for (const key of keys) {
      const now = await this.banks.getAccount(new PublicKey(key));
      const before = this.rpc.accounts.get(key);
      if (this.lagging.has(key)) continue;
      if (!now) {
        if (before) this.rpc.accounts.delete(key);
        continue;
      }
      const data = Buffer.from(now.data);
      if (before?.data.equals(data) && before.lamports === now.lamports) continue;
      if (now.executable) continue;
      this.rpc.setAccount(
        key,
        { data, owner: now.owner.toBase58(), lamports: Number(now.lamports) },
        { notify: false },
      );
      touched.push(key);
    }
    this.changed.set(signature, touched);
    return outcomeOf(result);
  }

  /** A node's notifications for a landed transaction, in the order (and with the gaps) asked. */
  private publish(tx: StoredTx): void {
    const touched = this.changed.get(tx.signature) ?? [];
    this.changed.delete(tx.signature);
    if (this.hideLanded > 0) this.hidden.set(tx.signature, this.hideLanded);
    const { order, dropAccounts, dropLogsOf } = this.delivery;
    const accounts = () => {
      for (const key of touched) if (!dropAccounts.has(key)) this.rpc.notifyAccount(key);
    };
    const logs = () => {
      if (!tx.accountKeys.some((k) => dropLogsOf.has(k))) this.rpc.notifyLogs(tx);
    };
    const [first, second] = order === 'accounts-first' ? [accounts, logs] : [logs, accounts];
    first();
    const gapMs = this.delivery.gapMs ?? 0;
    if (gapMs > 0) setTimeout(second, gapMs);
    else second();
  }
}

/** A bank result as a node reports it: `{InstructionError: [i, {Custom: n}]}` and the logs. */
function outcomeOf(result: BanksResult): TxOutcome {
  const logs = result.meta?.logMessages ?? [];
  if (result.result === null) return { logs };
  const custom = /instruction (\d+): custom program error: 0x([0-9a-f]+)/i.exec(result.result);
  const err = custom
    ? { InstructionError: [Number(custom[1]), { Custom: Number.parseInt(custom[2] ?? '0', 16) }] }
    : { message: result.result };
  return { logs, err };
}
