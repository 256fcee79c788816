/**
 * A Solana JSON-RPC double on 127.0.0.1: real HTTP, real JSON-RPC 2.0 (single and batch), serving
 * account bytes the test put there. Records every method it was asked so tests can prove what the
 * client touched. Transactions sent to it are kept (decoded by the test) and confirmed on request.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transaction } from '@solana/web3.js';
import { type WebSocket, WebSocketServer } from 'ws';

export interface StoredAccount {
  data: Buffer;
  owner: string;
  lamports?: number;
}

interface RpcRequest {
  jsonrpc: '2.0';
  id: number | string;
  method: string;
  params?: unknown[];
}

/** What the "validator" made of a transaction: its program logs (events), or a failure. */
export interface TxOutcome {
  logs: string[];
  err?: unknown;
}

export interface StoredTx {
  signature: string;
  slot: number;
  wire: Buffer;
  accountKeys: string[];
  outcome: TxOutcome;
}

export interface RpcServerOptions {
  /** Status a sent transaction reports: `confirmed` at once, or never (`none`) to exercise expiry. */
  confirm?: 'confirmed' | 'none';
}

export class JsonRpcServer {
  readonly accounts = new Map<string, StoredAccount>();
  readonly calls: string[] = [];
  /** base64 wire transactions received through sendTransaction (resends included). */
  readonly sentTransactions: string[] = [];
  /** Distinct transactions executed, in order. */
  readonly transactions: StoredTx[] = [];
  /**
   * Executes a transaction the first time it is seen (the test plays the program: it decodes the
   * instructions and updates accounts). Returning `err` fails it.
   */
  onTransaction: (wire: Buffer, signature: string) => TxOutcome | Promise<TxOutcome> = () => ({ logs: [] });
  /** Preflight failure for the next sendTransaction with preflight on (then cleared). */
  failPreflight: { message: string; logs: string[] } | undefined;
  slot = 1_000;
  blockHeight = 900;
  /** Block height after which a blockhash handed out now expires. */
  blockhashValidFor = 150;
  confirm: 'confirmed' | 'none';
  /** Recent prioritization fees (micro-lamports), newest first. */
  priorityFees: number[] = [0];
  /** Block height advances by this much at each getBlockHeight (to expire blockhashes). */
  blockHeightStep = 0;
  /** A real bank's blockhash (bankrun); default: a made-up one per call. */
  latestBlockhash: (() => Promise<string>) | undefined;
  /** Runs a preflight (simulation) of a sent transaction; an `err` fails the send with its logs. */
  preflight: ((wire: Buffer) => Promise<TxOutcome>) | undefined;
  /** Called once a transaction executed and is stored (a node's notifications go out from here). */
  onLanded: ((tx: StoredTx) => void | Promise<void>) | undefined;
  /** `getTransaction` answers null while this says the transaction is not visible yet. */
  transactionVisible: (signature: string, asked: number) => boolean = () => true;
  private readonly transactionAsks = new Map<string, number>();
  /** Sent transactions are accepted but never executed (the leader never got them). */
  dropIncoming = false;
  /** Methods this node stopped answering: their requests wait until released (see `hold`). */
  private readonly held = new Map<string, Promise<void>>();
  private readonly releases = new Set<() => void>();
  private server: Server | undefined;
  private pubsub: WebSocketServer | undefined;
  private subscriptionSeq = 0;
  private readonly subscriptions = new Map<
    number,
    { ws: WebSocket; kind: 'account' | 'logs' | 'slot' | 'program'; key?: string; filters?: AccountFilter[] }
  >();
  /** PubSub methods received over the WebSocket. */
  readonly wsCalls: string[] = [];
  private blockhashCounter = 0;
  url = '';

  constructor(opts: RpcServerOptions = {}) {
    this.confirm = opts.confirm ?? 'confirmed';
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then(async (body) => {
        const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
        const reply = Array.isArray(parsed)
          ? await Promise.all(parsed.map((r) => this.handle(r)))
          : await this.handle(parsed);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    // Solana's PubSub (accountSubscribe, logsSubscribe, slotSubscribe) on the same port.
    this.pubsub = new WebSocketServer({ server: this.server });
    this.pubsub.on('connection', (ws) => {
      ws.on('message', (data) => this.handlePubSub(ws, String(data)));
      ws.on('close', () => {
        for (const [id, sub] of this.subscriptions) if (sub.ws === ws) this.subscriptions.delete(id);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const release of [...this.releases]) release();
    for (const ws of this.pubsub?.clients ?? []) ws.terminate();
    this.pubsub?.close();
    // Let requests in flight finish (a poll racing the shutdown), then cut what is left.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const cut = setTimeout(() => server.closeAllConnections(), 200);
    await closed;
    clearTimeout(cut);
  }

  /** Records a transaction as if another party landed it (fills seen by log subscribers). */
  injectTransaction(wire: Buffer, outcome: TxOutcome): string {
    const signature = encodeBase58(wire.subarray(1, 65));
    this.slot += 1;
    const tx = { signature, slot: this.slot, wire, accountKeys: accountKeysOf(wire), outcome };
    this.transactions.push(tx);
    this.notifyLogs(tx);
    return signature;
  }

  setAccount(pubkey: string, account: StoredAccount, opts: { notify?: boolean } = {}): void {
    this.accounts.set(pubkey, account);
    if (opts.notify ?? true) this.notifyAccount(pubkey);
  }

  /** Pushes an account's current bytes to its account and program subscribers. */
  notifyAccount(pubkey: string): void {
    const account = this.accounts.get(pubkey);
    if (!account) return;
    for (const [id, sub] of this.subscriptions) {
      if (sub.kind === 'account' && sub.key === pubkey) {
        this.notify(sub.ws, 'accountNotification', id, {
          context: { slot: this.slot },
          value: this.encode(pubkey),
        });
      }
      if (sub.kind === 'program' && sub.key === account.owner && matches(account.data, sub.filters)) {
        this.notify(sub.ws, 'programNotification', id, {
          context: { slot: this.slot },
          value: { pubkey, account: this.encode(pubkey) },
        });
      }
    }
  }

  private handlePubSub(ws: WebSocket, text: string): void {
    const req = JSON.parse(text) as RpcRequest;
    this.wsCalls.push(req.method);
    const reply = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result }));
    const params = req.params ?? [];
    const subscribe = (
      kind: 'account' | 'logs' | 'slot' | 'program',
      key?: string,
      filters?: AccountFilter[],
    ) => {
      const id = ++this.subscriptionSeq;
      this.subscriptions.set(id, {
        ws,
        kind,
        ...(key !== undefined && { key }),
        ...(filters && { filters }),
      });
      reply(id);
    };
    if (req.method === 'accountSubscribe') subscribe('account', params[0] as string);
    else if (req.method === 'programSubscribe') {
      const config = (params[1] ?? {}) as { filters?: AccountFilter[] };
      subscribe('program', params[0] as string, config.filters);
    } else if (req.method === 'logsSubscribe') {
      const filter = params[0] as { mentions?: string[] } | string;
      subscribe('logs', typeof filter === 'object' ? filter.mentions?.[0] : undefined);
    } else if (req.method === 'slotSubscribe') subscribe('slot');
    else if (req.method.endsWith('Unsubscribe')) {
      this.subscriptions.delete(params[0] as number);
      reply(true);
    } else {
      ws.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: req.id,
          error: { code: -32601, message: `method not found: ${req.method}` },
        }),
      );
    }
  }

  private notify(ws: WebSocket, method: string, subscription: number, result: unknown): void {
    if (ws.readyState === ws.OPEN)
      ws.send(JSON.stringify({ jsonrpc: '2.0', method, params: { result, subscription } }));
  }

  /** Pushes a landed transaction's logs to the logs subscribers of the addresses it mentions. */
  notifyLogs(tx: StoredTx): void {
    for (const [id, sub] of this.subscriptions) {
      if (sub.kind !== 'logs' || (sub.key !== undefined && !tx.accountKeys.includes(sub.key))) continue;
      this.notify(sub.ws, 'logsNotification', id, {
        context: { slot: tx.slot },
        value: { signature: tx.signature, err: tx.outcome.err ?? null, logs: tx.outcome.logs },
      });
    }
  }

  /** The node stops answering `methods` (requests hang, as on an overloaded node) until released. */
  hold(methods: readonly string[]): () => void {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = () => {
        for (const m of methods) if (this.held.get(m) === gate) this.held.delete(m);
        this.releases.delete(release);
        resolve();
      };
    });
    for (const m of methods) this.held.set(m, gate);
    this.releases.add(release);
    return release;
  }

  private async handle(req: RpcRequest): Promise<unknown> {
    this.calls.push(req.method);
    await this.held.get(req.method);
    const ok = (result: unknown) => ({ jsonrpc: '2.0', id: req.id, result });
    const context = { slot: this.slot, apiVersion: '2.1.0' };
    const params = req.params ?? [];
    switch (req.method) {
      case 'getSlot':
        return ok(this.slot);
      case 'getBlockHeight':
        this.blockHeight += this.blockHeightStep;
        return ok(this.blockHeight);
      case 'getAccountInfo':
        return ok({ context, value: this.encode(params[0] as string) });
      case 'getMultipleAccounts':
        return ok({ context, value: (params[0] as string[]).map((k) => this.encode(k)) });
      case 'getProgramAccounts': {
        const config = (params[1] ?? {}) as { filters?: AccountFilter[]; withContext?: boolean };
        const list = [...this.accounts.entries()]
          .filter(([, a]) => a.owner === params[0] && matches(a.data, config.filters))
          .map(([pubkey]) => ({ pubkey, account: this.encode(pubkey) }));
        return ok(config.withContext ? { context, value: list } : list);
      }
      case 'getLatestBlockhash':
        return ok({
          context,
          value: {
            blockhash: this.latestBlockhash
              ? await this.latestBlockhash()
              : fakeBlockhash(++this.blockhashCounter),
            lastValidBlockHeight: this.blockHeight + this.blockhashValidFor,
          },
        });
      case 'getRecentPrioritizationFees':
        return ok(
          this.priorityFees.map((prioritizationFee, i) => ({ slot: this.slot - i, prioritizationFee })),
        );
      case 'sendTransaction': {
        const wire = params[0] as string;
        const config = (params[1] ?? {}) as { skipPreflight?: boolean };
        const simulated =
          !config.skipPreflight && this.preflight
            ? await this.preflight(Buffer.from(wire, 'base64'))
            : undefined;
        if (simulated?.err !== undefined) {
          return {
            jsonrpc: '2.0',
            id: req.id,
            error: {
              code: -32002,
              message: `Transaction simulation failed: ${JSON.stringify(simulated.err)}`,
              data: { err: simulated.err, logs: simulated.logs, accounts: null, unitsConsumed: 0 },
            },
          };
        }
        if (!config.skipPreflight && this.failPreflight) {
          const { message, logs } = this.failPreflight;
          this.failPreflight = undefined;
          return {
            jsonrpc: '2.0',
            id: req.id,
            error: {
              code: -32002,
              message,
              data: {
                err: { InstructionError: [2, { Custom: 6003 }] },
                logs,
                accounts: null,
                unitsConsumed: 0,
              },
            },
          };
        }
        this.sentTransactions.push(wire);
        const signature = signatureOf(wire);
        if (!this.dropIncoming && !this.transactions.some((t) => t.signature === signature)) {
          const bytes = Buffer.from(wire, 'base64');
          const outcome = await this.onTransaction(bytes, signature);
          this.slot += 1;
          const tx = { signature, slot: this.slot, wire: bytes, accountKeys: accountKeysOf(bytes), outcome };
          this.transactions.push(tx);
          await this.onLanded?.(tx);
        }
        return ok(signature);
      }
      case 'getSignatureStatuses':
        return ok({
          context,
          value: (params[0] as string[]).map((sig) => {
            const tx = this.transactions.find((t) => t.signature === sig);
            if (!tx || this.confirm === 'none') return null;
            return {
              slot: tx.slot,
              confirmations: 1,
              err: tx.outcome.err ?? null,
              confirmationStatus: 'confirmed',
            };
          }),
        });
      case 'getTransaction': {
        const signature = params[0] as string;
        const asked = (this.transactionAsks.get(signature) ?? 0) + 1;
        this.transactionAsks.set(signature, asked);
        const tx = this.transactions.find((t) => t.signature === signature);
        return ok(tx && this.transactionVisible(signature, asked) ? transactionResponse(tx) : null);
      }
      case 'getSignaturesForAddress': {
        const address = params[0] as string;
        const opts = (params[1] ?? {}) as { before?: string; until?: string; limit?: number };
        const newestFirst = this.transactions.filter((t) => t.accountKeys.includes(address)).reverse();
        let list = newestFirst;
        if (opts.before) list = list.slice(list.findIndex((t) => t.signature === opts.before) + 1);
        if (opts.until) {
          const i = list.findIndex((t) => t.signature === opts.until);
          if (i >= 0) list = list.slice(0, i);
        }
        return ok(
          list.slice(0, opts.limit ?? 1000).map((t) => ({
            signature: t.signature,
            slot: t.slot,
            err: t.outcome.err ?? null,
            memo: null,
            blockTime: Math.floor(Date.now() / 1000),
            confirmationStatus: 'confirmed',
          })),
        );
      }
      default:
        return {
          jsonrpc: '2.0',
          id: req.id,
          error: { code: -32601, message: `method not found: ${req.method}` },
        };
    }
  }

  private encode(pubkey: string): unknown {
    const a = this.accounts.get(pubkey);
    if (!a) return null;
    return {
      data: [a.data.toString('base64'), 'base64'],
      executable: false,
      lamports: a.lamports ?? 1_000_000,
      owner: a.owner,
      rentEpoch: 0,
      space: a.data.length,
    };
  }
}

/** Account keys of a legacy wire transaction, base58, in message order. */
function accountKeysOf(wire: Buffer): string[] {
  return Transaction.from(wire)
    .compileMessage()
    .accountKeys.map((k) => k.toBase58());
}

/** A `getTransaction` result (legacy transaction, json encoding) carrying the outcome's logs. */
function transactionResponse(tx: StoredTx): unknown {
  const parsed = Transaction.from(tx.wire);
  const message = parsed.compileMessage();
  const n = message.accountKeys.length;
  return {
    slot: tx.slot,
    blockTime: Math.floor(Date.now() / 1000),
    version: 'legacy',
    transaction: {
      signatures: [tx.signature],
      message: {
        accountKeys: message.accountKeys.map((k) => k.toBase58()),
        header: message.header,
        instructions: message.instructions.map((ix) => ({
          programIdIndex: ix.programIdIndex,
          accounts: ix.accounts,
          data: ix.data,
        })),
        recentBlockhash: message.recentBlockhash,
      },
    },
    meta: {
      err: tx.outcome.err ?? null,
      status: tx.outcome.err ? { Err: tx.outcome.err } : { Ok: null },
      fee: 5000,
      preBalances: Array.from({ length: n }, () => 0),
      postBalances: Array.from({ length: n }, () => 0),
      innerInstructions: [],
      logMessages: tx.outcome.logs,
      preTokenBalances: [],
      postTokenBalances: [],
      rewards: [],
      loadedAddresses: { readonly: [], writable: [] },
      computeUnitsConsumed: 1000,
    },
  };
}

/** A `getProgramAccounts` / `programSubscribe` filter as web3.js sends it (memcmp bytes in base58). */
type AccountFilter = { memcmp: { offset: number; bytes: string; encoding?: string } } | { dataSize: number };

function matches(data: Buffer, filters: AccountFilter[] = []): boolean {
  return filters.every((f) => {
    if ('dataSize' in f) return data.length === f.dataSize;
    const { offset, bytes, encoding } = f.memcmp;
    const want = encoding === 'base64' ? Buffer.from(bytes, 'base64') : decodeBase58(bytes);
    return data.subarray(offset, offset + want.length).equals(want);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A 32-byte base58 blockhash, distinct per counter. */
function fakeBlockhash(n: number): string {
  return encodeBase58(createHash('sha256').update(`blockhash-${n}`).digest());
}

/** The first signature of a base64 wire transaction, base58 (what a validator returns). */
function signatureOf(wireBase64: string): string {
  const bytes = Buffer.from(wireBase64, 'base64');
  // compact-u16 signature count (< 128 here), then 64-byte signatures.
  return encodeBase58(bytes.subarray(1, 65));
}

function decodeBase58(text: string): Buffer {
  let n = 0n;
  for (const c of text) {
    const digit = B58.indexOf(c);
    if (digit < 0) throw new Error(`not base58: ${text}`);
    n = n * 58n + BigInt(digit);
  }
  const hex = n === 0n ? '' : n.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

function encodeBase58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
