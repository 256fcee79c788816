/**
 * The instructions that fill a taker order inside its auction as maker (place-and-make): our
 * post-only IOC maker order matched against a Swift signed message or an on-chain auction order.
 * A taker order that is gone, past its auction or not ours to fill is refused before anything is sent.
 */
import type { MarketSpec, Side, TakerOrder, Venue } from '@drift/domain';
import { errorMessage } from '@drift/logging';
import {
  type DriftClient,
  getLimitOrderParams,
  getUserAccountPublicKeySync,
  getUserStatsAccountPublicKey,
  isSpotPositionAvailable,
  isVariant,
  MarketType,
  type OptionalOrderParams,
  OrderParamsBitFlag,
  PositionDirection,
  PostOnlyParams,
  positionIsAvailable,
  type UserAccount,
  type UserStatsAccount,
} from '@drift-labs/sdk';
import { PublicKey, type TransactionInstruction } from '@solana/web3.js';
import { sideOf } from './account-view.js';
import { auctionEndSlot, inAuction, parseAuctionUuid } from './auction-orders.js';
import { toBN } from './bn.js';
import type { Checked } from './order-params.js';
import { decodeSwiftMessage } from './swift-message.js';
import { reject, type VenueContext } from './venue-context.js';

/** Our maker order against a taker on `takerSide`: the opposite side, post-only, IOC. */
export function makerOrderParams(
  spec: MarketSpec,
  takerSide: Side,
  maker: Parameters<Venue['fillTakerOrder']>[1],
  userOrderId: number,
): OptionalOrderParams {
  return getLimitOrderParams({
    marketIndex: spec.marketIndex,
    marketType: MarketType.PERP,
    direction: takerSide === 'buy' ? PositionDirection.SHORT : PositionDirection.LONG,
    baseAssetAmount: toBN(maker.baseAmount),
    price: toBN(maker.price),
    postOnly: PostOnlyParams.MUST_POST_ONLY,
    // The SDK's `immediateOrCancel` is not an OrderParams field (the coder would drop it).
    bitFlags: OrderParamsBitFlag.ImmediateOrCancel,
    userOrderId,
  });
}

/**
 * Swift: the taker's signed message (verified on-chain by the ed25519 program) placed in the same
 * transaction; `taker.message` is the signed bytes (the hex text of the borsh message).
 */
export async function swiftFillIxs(
  ctx: VenueContext,
  taker: TakerOrder,
  makerParams: OptionalOrderParams,
  sub: number,
): Promise<Checked<TransactionInstruction[]>> {
  const client = ctx.need();
  const message = taker.message ?? new Uint8Array();
  const decoded = decodeSwiftMessage(client, message);
  const takerAuthority = new PublicKey(taker.taker);
  const takerUser =
    decoded.takerPubkey ??
    getUserAccountPublicKeySync(client.program.programId, takerAuthority, decoded.subAccountId);
  const takerUserAccount = (await client.program.account.user?.fetch(takerUser)) as UserAccount | null;
  if (!takerUserAccount) return reject('venue-error', `taker user account ${takerUser.toBase58()} not found`);
  const ixs = await client.getPlaceAndMakeSignedMsgPerpOrderIxs(
    { orderParams: Buffer.from(message), signature: Buffer.from(taker.signature ?? new Uint8Array()) },
    new TextEncoder().encode(taker.uuid),
    {
      taker: takerUser,
      takerUserAccount,
      takerStats: getUserStatsAccountPublicKey(client.program.programId, takerUserAccount.authority),
      signingAuthority: decoded.delegate ? takerUserAccount.delegate : takerAuthority,
    },
    makerParams,
    undefined,
    sub,
  );
  return { ok: true, value: ixs };
}

/**
 * `placeAndMakePerpOrder` against an on-chain taker order (`taker.uuid` is `<taker User
 * account>:<order id>`, from `AuctionTakerSource`). The taker's User and UserStats are read in one
 * call at one slot: the order must still be open and in its auction at that slot, and the taker's
 * referrer (from its UserStats) is passed so the program can pay it.
 */
export async function auctionFillIxs(
  ctx: VenueContext,
  taker: TakerOrder,
  spec: MarketSpec,
  makerParams: OptionalOrderParams,
  sub: number,
): Promise<Checked<TransactionInstruction[]>> {
  let id: { user: PublicKey; orderId: number };
  let authority: PublicKey;
  try {
    id = parseAuctionUuid(taker.uuid);
    authority = new PublicKey(taker.taker);
  } catch (err) {
    return reject('order-not-found', `auction taker order: ${errorMessage(err)}`);
  }
  const client = ctx.need();
  const programId = client.program.programId;
  const takerStats = getUserStatsAccountPublicKey(programId, authority);
  const { context, value } = await client.connection.getMultipleAccountsInfoAndContext(
    [id.user, takerStats],
    ctx.opts.params.commitment,
  );
  const [userInfo, statsInfo] = value;
  if (!userInfo) return reject('order-not-found', `taker user account ${id.user.toBase58()} not found`);
  const coder = client.program.coder.accounts;
  const takerUserAccount = coder.decode<UserAccount>('User', userInfo.data);
  if (!takerUserAccount.authority.equals(authority)) {
    return reject('venue-error', `taker ${taker.taker} does not own user account ${id.user.toBase58()}`);
  }
  if (takerUserAccount.authority.equals(ctx.opts.keypair.publicKey)) {
    return reject('venue-error', `taker order ${taker.uuid} is this venue's own order`);
  }
  const order = takerUserAccount.orders.find(
    (o) =>
      o.orderId === id.orderId &&
      isVariant(o.status, 'open') &&
      o.marketIndex === spec.marketIndex &&
      sideOf(o.direction) === taker.side,
  );
  if (!order) {
    return reject(
      'order-not-found',
      `no open ${spec.symbol} ${taker.side} order ${id.orderId} on ${id.user.toBase58()}`,
    );
  }
  if (!inAuction(order, context.slot)) {
    return reject(
      'auction-ended',
      `taker order ${taker.uuid}: auction ended at slot ${auctionEndSlot(order)} (now ${context.slot})`,
    );
  }
  const unfollowed = unfollowedMarkets(client, takerUserAccount);
  if (unfollowed) {
    return reject(
      'venue-error',
      `taker ${taker.taker} holds positions in markets this venue does not follow: ${unfollowed}`,
    );
  }
  const stats = statsInfo ? coder.decode<UserStatsAccount>('UserStats', statsInfo.data) : undefined;
  const referrer =
    stats && !stats.referrer.equals(PublicKey.default)
      ? {
          referrer: getUserAccountPublicKeySync(programId, stats.referrer, 0),
          referrerStats: getUserStatsAccountPublicKey(programId, stats.referrer),
        }
      : undefined;
  const ix = await client.getPlaceAndMakePerpOrderIx(
    makerParams,
    { taker: id.user, takerStats, takerUserAccount, order },
    referrer,
    sub,
  );
  return { ok: true, value: [ix] };
}

/**
 * Markets the taker's account uses that this venue's DriftClient does not follow: the SDK needs
 * every one of them (and its oracle) to list the instruction's accounts, and would throw.
 */
function unfollowedMarkets(client: DriftClient, account: UserAccount): string | undefined {
  const perps = account.perpPositions
    .filter((p) => !positionIsAvailable(p) && !client.getPerpMarketAccount(p.marketIndex))
    .map((p) => `perp ${p.marketIndex}`);
  const spots = account.spotPositions
    .filter((p) => !isSpotPositionAvailable(p) && !client.getSpotMarketAccount(p.marketIndex))
    .map((p) => `spot ${p.marketIndex}`);
  const all = [...perps, ...spots];
  return all.length > 0 ? all.join(', ') : undefined;
}
