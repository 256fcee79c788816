/**
 * A Swift order frame -> @drift/domain's `TakerOrder`, after checking it: the ed25519 signature of the
 * signing authority over the signed bytes (the hex text of the borsh message), the signer being
 * the taker unless the message is a delegate message, and the uuid inside the signed message
 * matching the frame's. Decoding is the SDK's (`decodeSignedMsgOrderParamsMessage`).
 */
import type { TakerOrder } from '@drift/domain';
import { DriftError, errorMessage } from '@drift/logging';
import { type DriftClient, type DriftEnv, isVariant, PerpMarkets } from '@drift-labs/sdk';
import { PublicKey } from '@solana/web3.js';
import { bnToSafeNumber, decodeSwiftMessage, fromBN } from 'drift-client/live';
import { verifyEd25519 } from './ed25519.js';
import type { SwiftOrderWire } from './protocol.js';

export class SwiftOrderRejected extends DriftError {
  override readonly code = 'DRIFT_ERR_SWIFT_ORDER_REJECTED';
  override readonly name = 'SwiftOrderRejected';
  constructor(
    readonly reason:
      | 'bad-signature'
      | 'wrong-signer'
      | 'uuid-mismatch'
      | 'undecodable'
      | 'unknown-market'
      | 'no-price',
    message: string,
  ) {
    super(message);
  }
}

export interface SwiftOrderContext {
  /** A DriftClient used for its program coder only. */
  decoder: DriftClient;
  env: DriftEnv;
  verifySignatures: boolean;
  receivedAt: number;
}

export function toTakerOrder(wire: SwiftOrderWire, ctx: SwiftOrderContext): TakerOrder {
  return checkedTakerOrder(
    {
      uuid: wire.uuid,
      message: new Uint8Array(Buffer.from(wire.order_message, 'utf8')),
      signature: new Uint8Array(Buffer.from(wire.order_signature, 'base64')),
      signer: publicKey(wire.signing_authority, 'signing_authority'),
      taker: publicKey(wire.taker_authority, 'taker_authority'),
    },
    ctx,
  );
}

/**
 * True when a Swift `TakerOrder` made by `toTakerOrder` (a recorded one, replayed) still says what
 * its taker signed: `toTakerOrder`'s checks, with signatures verified and the taker as the signer
 * (the order does not keep a delegate's key, so a delegate-signed order is refused), and the
 * terms decoded from the signed message are exactly the order's.
 */
export function verifySwiftTakerOrder(
  order: TakerOrder,
  ctx: Pick<SwiftOrderContext, 'decoder' | 'env'>,
): boolean {
  if (order.source !== 'swift' || !order.message || !order.signature) return false;
  let signed: TakerOrder;
  try {
    const taker = publicKey(order.taker, 'taker');
    signed = checkedTakerOrder(
      { uuid: order.uuid, message: order.message, signature: order.signature, signer: taker, taker },
      { ...ctx, verifySignatures: true, receivedAt: order.receivedAt },
    );
  } catch {
    return false; // refused, whatever the check tripped on
  }
  return sameTerms(signed, order);
}

interface SignedOrder {
  uuid: string;
  message: Uint8Array;
  signature: Uint8Array;
  signer: PublicKey;
  taker: PublicKey;
}

function checkedTakerOrder(signed: SignedOrder, ctx: SwiftOrderContext): TakerOrder {
  const { uuid, message, signature, signer, taker } = signed;
  if (ctx.verifySignatures) {
    if (!verifyEd25519(message, signature, signer.toBytes())) {
      throw new SwiftOrderRejected(
        'bad-signature',
        `order ${uuid}: signature does not verify for ${signer.toBase58()}`,
      );
    }
  }
  let decoded: ReturnType<typeof decodeSwiftMessage>;
  try {
    decoded = decodeSwiftMessage(ctx.decoder, message);
  } catch (err) {
    throw new SwiftOrderRejected(
      'undecodable',
      `order ${uuid}: message does not decode (${errorMessage(err)})`,
    );
  }
  if (!decoded.delegate && !signer.equals(taker)) {
    throw new SwiftOrderRejected(
      'wrong-signer',
      `order ${uuid}: signed by ${signer.toBase58()}, not the taker ${taker.toBase58()}`,
    );
  }
  const signedUuid = Buffer.from(decoded.message.uuid).toString('utf8');
  if (signedUuid !== uuid) {
    throw new SwiftOrderRejected(
      'uuid-mismatch',
      `order ${uuid}: the signed message carries uuid ${signedUuid}`,
    );
  }
  const params = decoded.message.signedMsgOrderParams;
  const market = PerpMarkets[ctx.env].find((m) => m.marketIndex === params.marketIndex)?.symbol;
  if (!market)
    throw new SwiftOrderRejected(
      'unknown-market',
      `order ${uuid}: perp market index ${params.marketIndex} is unknown`,
    );
  const price = fromBN(params.price);
  const start = params.auctionStartPrice ? fromBN(params.auctionStartPrice) : price;
  const end = params.auctionEndPrice ? fromBN(params.auctionEndPrice) : price;
  if (start === 0n && end === 0n)
    throw new SwiftOrderRejected('no-price', `order ${uuid}: no price and no auction prices`);
  return {
    uuid,
    source: 'swift',
    market,
    side: isVariant(params.direction, 'long') ? 'buy' : 'sell',
    baseAmount: fromBN(params.baseAssetAmount),
    auction: {
      startPrice: start,
      endPrice: end,
      startSlot: bnToSafeNumber(decoded.message.slot, 'slot'),
      durationSlots: params.auctionDuration ?? 0,
    },
    taker: taker.toBase58(),
    receivedAt: ctx.receivedAt,
    message,
    signature,
  };
}

function publicKey(text: string, field: string): PublicKey {
  try {
    return new PublicKey(text);
  } catch {
    throw new SwiftOrderRejected(
      'undecodable',
      `order.${field}: ${JSON.stringify(text)} is not a base58 public key`,
    );
  }
}

function sameTerms(a: TakerOrder, b: TakerOrder): boolean {
  return (
    a.uuid === b.uuid &&
    a.source === b.source &&
    a.market === b.market &&
    a.side === b.side &&
    a.baseAmount === b.baseAmount &&
    a.taker === b.taker &&
    a.auction.startPrice === b.auction.startPrice &&
    a.auction.endPrice === b.auction.endPrice &&
    a.auction.startSlot === b.auction.startSlot &&
    a.auction.durationSlots === b.auction.durationSlots
  );
}
