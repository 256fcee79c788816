/**
 * A Solana JSON-RPC double on 127.0.0.1: real HTTP, real JSON-RPC 2.0 (single and batch), serving
 * account bytes the test put there. Records every method it was asked so tests can prove what the
 * client touched. Transactions sent to it are kept (decoded by the test) and confirmed on request.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface RpcServerOptions {
  /** Status a sent transaction reports: `confirmed` at once, or never (`none`) to exercise expiry. */
  confirm?: 'confirmed' | 'none';
}

export class JsonRpcServer {
  readonly accounts = new Map<string, StoredAccount>();
  readonly calls: string[] = [];
  /** base64 wire transactions received through sendTransaction. */
  readonly sentTransactions: string[] = [];
  slot = 1_000;
  blockHeight = 900;
  /** Block height after which a blockhash handed out now expires. */
  blockhashValidFor = 150;
  confirm: 'confirmed' | 'none';
  private server: Server | undefined;
  private blockhashCounter = 0;
  url = '';

  constructor(opts: RpcServerOptions = {}) {
    this.confirm = opts.confirm ?? 'confirmed';
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
        const reply = Array.isArray(parsed) ? parsed.map((r) => this.handle(r)) : this.handle(parsed);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
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
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setAccount(pubkey: string, account: StoredAccount): void {
    this.accounts.set(pubkey, account);
  }

  private handle(req: RpcRequest): unknown {
    this.calls.push(req.method);
    const ok = (result: unknown) => ({ jsonrpc: '2.0', id: req.id, result });
    const context = { slot: this.slot, apiVersion: '2.1.0' };
    const params = req.params ?? [];
    switch (req.method) {
      case 'getSlot':
        return ok(this.slot);
      case 'getBlockHeight':
        return ok(this.blockHeight);
      case 'getAccountInfo':
        return ok({ context, value: this.encode(params[0] as string) });
      case 'getMultipleAccounts':
        return ok({ context, value: (params[0] as string[]).map((k) => this.encode(k)) });
      case 'getProgramAccounts':
        return ok(
          [...this.accounts.entries()]
            .filter(([, a]) => a.owner === params[0])
            .map(([pubkey]) => ({ pubkey, account: this.encode(pubkey) })),
        );
      case 'getLatestBlockhash':
        return ok({
          context,
          value: {
            blockhash: fakeBlockhash(++this.blockhashCounter),
            lastValidBlockHeight: this.blockHeight + this.blockhashValidFor,
          },
        });
      case 'getRecentPrioritizationFees':
        return ok([]);
      case 'sendTransaction':
        this.sentTransactions.push(params[0] as string);
        return ok(signatureOf(params[0] as string));
      case 'getSignatureStatuses':
        return ok({
          context,
          value: (params[0] as string[]).map(() =>
            this.confirm === 'confirmed'
              ? { slot: this.slot, confirmations: 1, err: null, confirmationStatus: 'confirmed' }
              : null,
          ),
        });
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
