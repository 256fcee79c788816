/**
 * A fill of our maker order as the chain reports it: a transaction touching our User account whose
 * logs carry an `OrderActionRecord`, injected into the fake RPC (served by polling and pushed to
 * `logsSubscribe`), which the SDK's event subscriber picks up.
 */
import { BN, DRIFT_PROGRAM_ID, getUserAccountPublicKeySync } from '@drift-labs/sdk';
import { Keypair, PublicKey, Transaction, TransactionInstruction } from '@solana/web3.js';
import { type DriftChain, PROGRAM_ID } from './drift-chain.js';
import type { JsonRpcServer } from './json-rpc-server.js';

export interface MakerFill {
  ts: number;
  fillRecordId: number;
  base: BN;
  quote: BN;
  makerFee: BN;
  takerOrderId: number;
  makerOrderId: number;
  takerFee?: BN;
}

export function pushMakerFill(
  rpc: JsonRpcServer,
  chain: DriftChain,
  authority: PublicKey,
  fill: MakerFill,
): void {
  const userKey = getUserAccountPublicKeySync(PROGRAM_ID, authority, 0);
  const filler = Keypair.generate();
  const tx = new Transaction({
    feePayer: filler.publicKey,
    blockhash: new PublicKey(Buffer.alloc(32, fill.fillRecordId % 256)).toBase58(),
    lastValidBlockHeight: 2_000,
  }).add(
    new TransactionInstruction({
      programId: new PublicKey(DRIFT_PROGRAM_ID),
      keys: [{ pubkey: userKey, isSigner: false, isWritable: true }],
      data: Buffer.from([1]),
    }),
  );
  tx.sign(filler);
  rpc.injectTransaction(tx.serialize(), {
    logs: chain.programLogs([
      chain.eventLog('OrderActionRecord', {
        ts: new BN(fill.ts),
        action: { fill: {} },
        marketIndex: 0,
        marketType: { perp: {} },
        fillRecordId: new BN(fill.fillRecordId),
        baseAssetAmountFilled: fill.base,
        quoteAssetAmountFilled: fill.quote,
        makerFee: fill.makerFee,
        ...(fill.takerFee && { takerFee: fill.takerFee }),
        taker: Keypair.generate().publicKey,
        takerOrderId: fill.takerOrderId,
        takerOrderDirection: { short: {} },
        maker: userKey,
        makerOrderId: fill.makerOrderId,
        makerOrderDirection: { long: {} },
        oraclePrice: new BN(150_000_000),
      }),
    ]),
  });
}
