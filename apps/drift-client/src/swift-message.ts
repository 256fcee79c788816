/**
 * Swift signed messages as the SDK defines them: the taker signs the hex text of the borsh-encoded
 * `SignedMsgOrderParamsMessage` (or the `...DelegateMessage` when a delegate signs), prefixed with
 * the Anchor discriminator of the type's name. Decoding uses the SDK's own
 * `decodeSignedMsgOrderParamsMessage`.
 */
import { createHash } from 'node:crypto';
import {
  DriftClient,
  type DriftEnv,
  type SignedMsgOrderParamsDelegateMessage,
  type SignedMsgOrderParamsMessage,
  Wallet,
} from '@drift-labs/sdk';
import { Connection, Keypair, type PublicKey } from '@solana/web3.js';

const DELEGATE_DISCRIMINATOR = createHash('sha256')
  .update('global:SignedMsgOrderParamsDelegateMessage')
  .digest()
  .subarray(0, 8);

export interface DecodedSwiftMessage {
  delegate: boolean;
  message: SignedMsgOrderParamsMessage | SignedMsgOrderParamsDelegateMessage;
  subAccountId: number;
  /** Delegate messages name the taker's user account. */
  takerPubkey?: PublicKey;
}

/** The borsh bytes inside the signed hex text. Throws on text that is not hex. */
export function borshOfSignedBytes(signed: Uint8Array): Buffer {
  const text = Buffer.from(signed).toString('utf8');
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) throw new RangeError('Swift order message is not hex text');
  return Buffer.from(text, 'hex');
}

/** Decodes the signed bytes (`TakerOrder.message`) with the SDK. */
export function decodeSwiftMessage(client: DriftClient, signed: Uint8Array): DecodedSwiftMessage {
  const borsh = borshOfSignedBytes(signed);
  const delegate = borsh.subarray(0, 8).equals(DELEGATE_DISCRIMINATOR);
  const message = client.decodeSignedMsgOrderParamsMessage(borsh, delegate);
  if ('takerPubkey' in message)
    return { delegate, message, subAccountId: 0, takerPubkey: message.takerPubkey };
  return { delegate, message, subAccountId: message.subAccountId };
}

/**
 * A DriftClient used only for its program coder (decoding, building instructions offline). Its
 * connection is created but never used: constructing a DriftClient makes no network call.
 */
export function offlineDriftClient(env: DriftEnv, rpcUrl = 'http://127.0.0.1:8899'): DriftClient {
  return new DriftClient({
    connection: new Connection(rpcUrl),
    wallet: new Wallet(Keypair.generate()),
    env,
    perpMarketIndexes: [],
    spotMarketIndexes: [],
    oracleInfos: [],
    skipLoadUsers: true,
  });
}
