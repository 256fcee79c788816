/** Swift taker orders signed the way a taker's SDK signs them (`signSignedMsgOrderParamsMessage`). */
import {
  BN,
  DriftClient,
  generateSignedMsgUuid,
  getMarketOrderParams,
  getOrderParams,
  MarketType,
  PositionDirection,
  Wallet,
} from '@drift-labs/sdk';
import { Connection, type Keypair } from '@solana/web3.js';

export interface TakerOrderSpec {
  marketIndex: number;
  direction: 'long' | 'short';
  baseAssetAmount: bigint;
  price: bigint;
  auctionStartPrice: bigint;
  auctionEndPrice: bigint;
  auctionDuration: number;
  slot: number;
}

/** A taker's DriftClient: built offline, used only to encode and sign (never connects). */
export function takerClient(taker: Keypair): DriftClient {
  return new DriftClient({
    connection: new Connection('http://127.0.0.1:9'),
    wallet: new Wallet(taker),
    env: 'devnet',
    perpMarketIndexes: [],
    spotMarketIndexes: [],
    oracleInfos: [],
    skipLoadUsers: true,
  });
}

/** The order frame's `order` object, signed by the client's wallet. */
export function signedOrderFrame(
  client: DriftClient,
  spec: TakerOrderSpec,
): Record<string, unknown> & { uuid: string } {
  const uuid = generateSignedMsgUuid();
  const signed = client.signSignedMsgOrderParamsMessage(
    {
      signedMsgOrderParams: getOrderParams(
        getMarketOrderParams({
          marketIndex: spec.marketIndex,
          marketType: MarketType.PERP,
          direction: spec.direction === 'long' ? PositionDirection.LONG : PositionDirection.SHORT,
          baseAssetAmount: new BN(spec.baseAssetAmount.toString()),
          price: new BN(spec.price.toString()),
          auctionStartPrice: new BN(spec.auctionStartPrice.toString()),
          auctionEndPrice: new BN(spec.auctionEndPrice.toString()),
          auctionDuration: spec.auctionDuration,
        }),
      ),
      subAccountId: 0,
      slot: new BN(spec.slot),
      uuid,
      takeProfitOrderParams: null,
      stopLossOrderParams: null,
    },
    false,
  );
  const authority = client.wallet.publicKey.toBase58();
  return {
    order_message: signed.orderParams.toString(),
    order_signature: signed.signature.toString('base64'),
    taker_authority: authority,
    signing_authority: authority,
    uuid: Buffer.from(uuid).toString('utf8'),
    market_index: spec.marketIndex,
    ts: Date.now(),
  };
}
