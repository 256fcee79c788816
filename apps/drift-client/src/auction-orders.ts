/**
 * On-chain taker orders in their auction, read as @drift/domain's `TakerOrder`. Pure functions over the
 * SDK's decoded `UserAccount` / `Order`; prices come from the SDK's own auction math.
 */
import type { TakerOrder } from '@drift/domain';
import {
  type BN,
  getAuctionPrice,
  hasAuctionPrice,
  isOneOfVariant,
  isVariant,
  type Order,
  type UserAccount,
} from '@drift-labs/sdk';
import { PublicKey } from '@solana/web3.js';
import { sideOf } from './account-view.js';
import { bnToSafeNumber, fromBN } from './bn.js';

/** `<taker User account, base58>:<order id>`: unique on-chain (order ids never repeat per user). */
export function auctionUuid(user: PublicKey, orderId: number): string {
  return `${user.toBase58()}:${orderId}`;
}

/** The taker's User account and order id from an auction `TakerOrder.uuid`. */
export function parseAuctionUuid(uuid: string): { user: PublicKey; orderId: number } {
  const [user, id, ...rest] = uuid.split(':');
  const orderId = Number(id);
  if (rest.length > 0 || !user || !Number.isInteger(orderId) || orderId <= 0) {
    throw new RangeError(`auction taker uuid "${uuid}" is not <user account>:<order id>`);
  }
  try {
    return { user: new PublicKey(user), orderId };
  } catch {
    throw new RangeError(`auction taker uuid "${uuid}": "${user}" is not a base58 public key`);
  }
}

/**
 * An open perp taker order whose auction is running at `slot`: market, oracle or (not post-only)
 * limit orders with an auction. Trigger orders are left out (their auction starts when triggered).
 */
export function inAuction(order: Order, slot: number): boolean {
  return (
    isVariant(order.status, 'open') &&
    isVariant(order.marketType, 'perp') &&
    isOneOfVariant(order.orderType, ['market', 'oracle', 'limit']) &&
    !order.postOnly &&
    order.auctionDuration > 0 &&
    hasAuctionPrice(order, slot)
  );
}

/** The slot `order`'s auction ends at. */
export function auctionEndSlot(order: Order): number {
  return bnToSafeNumber(order.slot, 'order.slot') + order.auctionDuration;
}

/**
 * The taker order for `order` of `account`. Oracle-offset auctions (oracle orders, limit orders
 * with an oracle offset) are made absolute with `oraclePrice` as of now: the program prices them
 * from the oracle at fill time, so these bounds move with it.
 */
export function toAuctionTakerOrder(
  account: UserAccount,
  userKey: PublicKey,
  order: Order,
  ctx: { market: string; oraclePrice: BN; receivedAt: number },
): TakerOrder {
  const endSlot = auctionEndSlot(order);
  const startSlot = endSlot - order.auctionDuration;
  return {
    uuid: auctionUuid(userKey, order.orderId),
    source: 'auction',
    market: ctx.market,
    side: sideOf(order.direction),
    baseAmount: fromBN(order.baseAssetAmount.sub(order.baseAssetAmountFilled)),
    auction: {
      startPrice: fromBN(getAuctionPrice(order, startSlot, ctx.oraclePrice)),
      endPrice: fromBN(getAuctionPrice(order, endSlot, ctx.oraclePrice)),
      startSlot,
      durationSlots: order.auctionDuration,
    },
    taker: account.authority.toBase58(),
    receivedAt: ctx.receivedAt,
  };
}
