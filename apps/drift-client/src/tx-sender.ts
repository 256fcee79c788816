/**
 * Sends a transaction and sees it confirmed: compute budget and a capped priority fee first, the
 * transaction re-sent at an interval (validators drop them under load) and its status polled until
 * it is confirmed, fails, or its blockhash expires (block height past `lastValidBlockHeight`).
 * Program errors are mapped to the fleet's reject reasons by @drift/domain's `rejectReasonFrom` (the table the
 * simulator names its refusals by).
 */
import { type RejectReason, rejectReasonFrom } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { DriftError, errorMessage } from '@drift/logging';
import {
  type Commitment,
  ComputeBudgetProgram,
  type Connection,
  type Keypair,
  SendTransactionError,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';

export interface TxSenderOptions {
  connection: Connection;
  payer: Keypair;
  /** Current priority fee, micro-lamports per compute unit (already capped by the caller). */
  priorityFee: () => number;
  computeUnitLimit: number;
  commitment: Commitment;
  /** Re-send the same signed transaction this often until it lands or expires. */
  resendIntervalMs: number;
  /** Poll the signature status this often. */
  pollIntervalMs: number;
  /** Program error codes -> names (the IDL's `errors`), to read a landed transaction's failure. */
  programErrors?: ReadonlyMap<number, string>;
  logger: LoggerLike;
}

export interface Sent {
  signature: string;
  slot: number;
}

/** A transaction that did not land: the program refused it, or its blockhash expired. */
export class TxError extends DriftError {
  override readonly code = 'DRIFT_ERR_TX_NOT_LANDED';
  override readonly name = 'TxError';
  constructor(
    readonly reason: RejectReason,
    message: string,
    readonly signature?: string,
    readonly logs: readonly string[] = [],
  ) {
    super(message);
  }

  /** Whether the program refused the transaction with the error named `name` (e.g. `ImpossibleFill`). */
  refusedWith(name: string): boolean {
    const named = new RegExp(`\\b${name}\\b`);
    return named.test(this.message) || this.logs.some((line) => named.test(line));
  }
}

export class TxSender {
  constructor(private readonly opts: TxSenderOptions) {}

  async send(instructions: TransactionInstruction[]): Promise<Sent> {
    const { connection, payer, commitment } = this.opts;
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash(commitment);
    const fee = Math.max(0, Math.floor(this.opts.priorityFee()));
    const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(
      ComputeBudgetProgram.setComputeUnitLimit({ units: this.opts.computeUnitLimit }),
      ComputeBudgetProgram.setComputeUnitPrice({ microLamports: fee }),
      ...instructions,
    );
    tx.sign(payer);
    const raw = tx.serialize();
    let signature: string;
    try {
      // First send with preflight: a program error comes back at once, with its logs.
      signature = await connection.sendRawTransaction(raw, {
        skipPreflight: false,
        preflightCommitment: commitment,
        maxRetries: 0,
      });
    } catch (err) {
      throw this.fromSendError(err);
    }
    this.opts.logger.debug({ signature, priorityFee: fee, lastValidBlockHeight }, 'transaction sent');
    return this.confirm(signature, raw, lastValidBlockHeight);
  }

  private async confirm(signature: string, raw: Buffer, lastValidBlockHeight: number): Promise<Sent> {
    const { connection, commitment } = this.opts;
    let lastSend = Date.now();
    let resends = 0;
    for (;;) {
      const status = (await connection.getSignatureStatuses([signature])).value[0];
      if (status?.err) {
        const text = JSON.stringify(status.err);
        const code = /"Custom":(\d+)/.exec(text)?.[1];
        const name = code !== undefined ? this.opts.programErrors?.get(Number(code)) : undefined;
        const detail = name ? `${text} (${name})` : text;
        throw new TxError(rejectReasonFrom(detail), `transaction ${signature} failed: ${detail}`, signature);
      }
      if (status && reached(status.confirmationStatus, commitment)) {
        this.opts.logger.debug({ signature, slot: status.slot, resends }, 'transaction confirmed');
        return { signature, slot: status.slot };
      }
      const height = await connection.getBlockHeight(commitment);
      if (height > lastValidBlockHeight) {
        throw new TxError(
          'venue-error',
          `transaction ${signature} expired unconfirmed (block height ${height} > ${lastValidBlockHeight}, ${resends} resends)`,
          signature,
        );
      }
      if (Date.now() - lastSend >= this.opts.resendIntervalMs) {
        lastSend = Date.now();
        resends++;
        await connection
          .sendRawTransaction(raw, { skipPreflight: true, maxRetries: 0 })
          .catch((err: unknown) => {
            this.opts.logger.warn({ err, signature }, 'transaction resend failed');
          });
      }
      await sleep(this.opts.pollIntervalMs);
    }
  }

  private fromSendError(err: unknown): TxError {
    if (err instanceof SendTransactionError) {
      const logs = err.logs ?? [];
      const text = `${err.message}\n${logs.join('\n')}`;
      return new TxError(rejectReasonFrom(text), firstLine(err.message), undefined, logs);
    }
    return new TxError('venue-error', firstLine(errorMessage(err)));
  }
}

const RANK: Record<string, number> = { processed: 0, confirmed: 1, finalized: 2 };

function reached(status: string | null | undefined, wanted: Commitment): boolean {
  if (!status) return false;
  return (RANK[status] ?? -1) >= (RANK[wanted] ?? 1);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
