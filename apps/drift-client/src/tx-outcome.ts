/**
 * What one order did, read from the user account before and after, for when its events cannot be
 * read (`getTransaction` null on a load-balanced RPC, logs that do not parse, fill logs dropped).
 * The answer is given only when the account leaves no doubt that this order alone moved the
 * market's position: the expected number of new order ids used (one for a placement, none for a
 * resting order that left), no liquidation, no other order of the market changed, and the
 * position moved the order's way by no more than what it had left. Anything else is unknown.
 */
import { formatBase, formatPrice, priceOf, type Side } from '@drift/domain';
import { isVariant, positionIsAvailable, type UserAccount } from '@drift-labs/sdk';
import { fromBN } from './bn.js';

export interface AccountMark {
  slot: number;
  nextOrderId: number;
  /** A liquidation in between moves positions without an order of ours. */
  nextLiquidationId: number;
  /** Perp market index -> base (BASE_PRECISION) and quote entry (QUOTE_PRECISION, signed as Drift's). */
  positions: Map<number, { base: bigint; quoteEntry: bigint }>;
  /** Every open perp order: id -> its market and filled base (another one that moved makes the delta ambiguous). */
  orders: Map<number, { marketIndex: number; filled: bigint }>;
}

export function markOf(account: UserAccount, slot: number): AccountMark {
  return {
    slot,
    nextOrderId: account.nextOrderId,
    nextLiquidationId: account.nextLiquidationId,
    positions: new Map(
      account.perpPositions
        // Unused slots read as market 0: they would hide the market's real position.
        .filter((p) => !positionIsAvailable(p))
        .map((p) => [
          p.marketIndex,
          { base: fromBN(p.baseAssetAmount), quoteEntry: fromBN(p.quoteEntryAmount) },
        ]),
    ),
    orders: new Map(
      account.orders
        .filter((o) => isVariant(o.status, 'open') && isVariant(o.marketType, 'perp'))
        .map((o) => [o.orderId, { marketIndex: o.marketIndex, filled: fromBN(o.baseAssetAmountFilled) }]),
    ),
  };
}

export type AccountOutcome =
  | {
      ok: true;
      orderId: number;
      /** The order's filled base in all. */
      filledBase: bigint;
      /** Average price of what moved, PRICE_PRECISION; absent when the account cannot say. */
      price?: bigint;
    }
  | { ok: false; why: string };

/** The one order `before -> after` placed and how much of it filled (it no longer rests). */
export function outcomeFromAccounts(
  before: AccountMark,
  after: AccountMark,
  order: { marketIndex: number; side: Side; baseAmount: bigint; landedSlot: number },
): AccountOutcome {
  if (after.slot < order.landedSlot) {
    return {
      ok: false,
      why: `account read at slot ${after.slot}, before the transaction's ${order.landedSlot}`,
    };
  }
  const moved = movedByOneOrder(before, after, { ...order, newOrderIds: 1, unfilled: order.baseAmount });
  return moved.ok ? filledOf(before.nextOrderId, moved.base, moved.price) : moved;
}

/**
 * How much of `order` filled in all, for a resting order that was open in `before` and is gone
 * in `after` (filled, or cancelled with what filled).
 */
export function outcomeOfVanishedOrder(
  before: AccountMark,
  after: AccountMark,
  order: { orderId: number; marketIndex: number; side: Side; baseAmount: bigint },
): AccountOutcome {
  const was = before.orders.get(order.orderId);
  if (!was) return { ok: false, why: `order ${order.orderId} was not open in the earlier read` };
  if (after.orders.has(order.orderId)) return { ok: false, why: `order ${order.orderId} is still open` };
  const moved = movedByOneOrder(before, after, {
    ...order,
    newOrderIds: 0,
    unfilled: order.baseAmount - was.filled,
  });
  return moved.ok ? filledOf(order.orderId, was.filled + moved.base, moved.price) : moved;
}

function filledOf(orderId: number, filledBase: bigint, price: bigint | undefined): AccountOutcome {
  return { ok: true, orderId, filledBase, ...(price !== undefined && { price }) };
}

/**
 * How far the market's position moved through one order between the two reads, when nothing
 * else of the account could have moved it; with the price paid when the position grew that way
 * (Drift's quote entry then moves by the fill's quote; a reduced position's moves by its share).
 */
function movedByOneOrder(
  before: AccountMark,
  after: AccountMark,
  order: { orderId?: number; marketIndex: number; side: Side; unfilled: bigint; newOrderIds: number },
): { ok: true; base: bigint; price?: bigint } | { ok: false; why: string } {
  const used = after.nextOrderId - before.nextOrderId;
  if (used !== order.newOrderIds) {
    return { ok: false, why: `${used} order ids used between the two reads, not ${order.newOrderIds}` };
  }
  if (after.nextLiquidationId !== before.nextLiquidationId) {
    return { ok: false, why: 'the account was liquidated between the two reads' };
  }
  for (const [id, other] of before.orders) {
    if (id === order.orderId || other.marketIndex !== order.marketIndex) continue;
    if (after.orders.get(id)?.filled !== other.filled) {
      return { ok: false, why: `order ${id} of the market also changed between the two reads` };
    }
  }
  const from = before.positions.get(order.marketIndex) ?? { base: 0n, quoteEntry: 0n };
  const to = after.positions.get(order.marketIndex) ?? { base: 0n, quoteEntry: 0n };
  const buy = order.side === 'buy';
  const moved = buy ? to.base - from.base : from.base - to.base;
  if (moved < 0n || moved > order.unfilled) {
    return { ok: false, why: `position moved ${moved} against a ${order.side} of ${order.unfilled} left` };
  }
  const grew = buy ? from.base >= 0n : from.base <= 0n;
  if (moved === 0n || !grew) return { ok: true, base: moved };
  const quote = to.quoteEntry - from.quoteEntry;
  return { ok: true, base: moved, price: priceOf(quote < 0n ? -quote : quote, moved) };
}

/** Log fields of an outcome read from the account: what filled and at what price, or why no price. */
export function accountFillFields(outcome: { filledBase: bigint; price?: bigint }): Record<string, string> {
  return {
    filledBase: formatBase(outcome.filledBase),
    price:
      outcome.price === undefined
        ? 'not derivable from the account (nothing filled, or the position was reduced)'
        : formatPrice(outcome.price),
  };
}
