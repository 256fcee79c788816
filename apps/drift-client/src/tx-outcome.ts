/**
 * What a confirmed order transaction did, read from the user account before and after it, for
 * when its events cannot be read (`getTransaction` null on a load-balanced RPC, logs that do not
 * parse). The answer is given only when the account leaves no doubt: read at or after the
 * transaction's slot, exactly one new order id used, no other order of the account changed, and
 * the position moved the order's way by no more than its size. Anything else is unknown.
 */
import type { Side } from '@drift/domain';
import { isVariant, type UserAccount } from '@drift-labs/sdk';
import { fromBN } from './bn.js';

export interface AccountMark {
  slot: number;
  nextOrderId: number;
  /** Base position of the market, BASE_PRECISION. */
  base: bigint;
  /** Every open order's id -> filled base: another order that moved makes the delta ambiguous. */
  others: Map<number, bigint>;
}

export function markOf(account: UserAccount, slot: number, marketIndex: number): AccountMark {
  const position = account.perpPositions.find((p) => p.marketIndex === marketIndex);
  return {
    slot,
    nextOrderId: account.nextOrderId,
    base: position ? fromBN(position.baseAssetAmount) : 0n,
    others: new Map(
      account.orders
        .filter((o) => isVariant(o.status, 'open'))
        .map((o) => [o.orderId, fromBN(o.baseAssetAmountFilled)]),
    ),
  };
}

export type AccountOutcome = { ok: true; orderId: number; filledBase: bigint } | { ok: false; why: string };

/** The one order `before -> after` placed and how much of it filled (it no longer rests). */
export function outcomeFromAccounts(
  before: AccountMark,
  after: AccountMark,
  order: { side: Side; baseAmount: bigint; landedSlot: number },
): AccountOutcome {
  if (after.slot < order.landedSlot) {
    return {
      ok: false,
      why: `account read at slot ${after.slot}, before the transaction's ${order.landedSlot}`,
    };
  }
  if (after.nextOrderId !== before.nextOrderId + 1) {
    return {
      ok: false,
      why: `${after.nextOrderId - before.nextOrderId} order ids used between the two reads, not 1`,
    };
  }
  for (const [id, filled] of before.others) {
    const now = after.others.get(id);
    if (now === undefined || now !== filled) {
      return { ok: false, why: `order ${id} also changed between the two reads` };
    }
  }
  const moved = order.side === 'buy' ? after.base - before.base : before.base - after.base;
  if (moved < 0n || moved > order.baseAmount) {
    return { ok: false, why: `position moved ${moved} against a ${order.side} of ${order.baseAmount}` };
  }
  return { ok: true, orderId: before.nextOrderId, filledBase: moved };
}
