/**
 * Reads the SDK's decoded accounts as the fleet's domain: orders, positions, account state and
 * fills. Pure functions over SDK values; all BN passes through bn.ts.
 */
import {
  type AccountState,
  absBig,
  BPS,
  divRound,
  type Fill,
  type Order,
  type OrderStatus,
  type Position,
  priceOf,
  quoteValue,
  type RejectReason,
  rejectReasonFrom,
  type Side,
} from '@drift/domain';
import {
  isVariant,
  type OrderActionRecord,
  type PerpPosition,
  type PositionDirection,
  type Order as SdkOrder,
} from '@drift-labs/sdk';
import type { PublicKey } from '@solana/web3.js';
import { bnToSafeNumber, fromBN } from './bn.js';

/** Solana's nominal slot time, used to date an order from its slot. */
export const SLOT_MS = 400;

export function sideOf(direction: PositionDirection): Side {
  return isVariant(direction, 'long') ? 'buy' : 'sell';
}

function statusOf(order: SdkOrder): OrderStatus {
  if (isVariant(order.status, 'init')) return 'new';
  if (isVariant(order.status, 'filled')) return 'filled';
  if (isVariant(order.status, 'canceled')) return 'cancelled';
  return order.baseAssetAmountFilled.isZero() ? 'open' : 'partially-filled';
}

export interface OrderContext {
  subAccount: number;
  market: string;
  /** Current slot and time, to date the order from its slot. */
  now: { slot: number; ts: number };
  clientOrderId?: string;
}

export function toCoreOrder(order: SdkOrder, ctx: OrderContext): Order {
  const createdAt = ctx.now.ts - Math.max(0, ctx.now.slot - order.slot.toNumber()) * SLOT_MS;
  const core: Order = {
    orderId: String(order.orderId),
    subAccount: ctx.subAccount,
    market: ctx.market,
    side: sideOf(order.direction),
    type: isVariant(order.orderType, 'market') ? 'market' : 'limit',
    baseAmount: fromBN(order.baseAssetAmount),
    filledBase: fromBN(order.baseAssetAmountFilled),
    status: statusOf(order),
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    ioc: order.immediateOrCancel,
    createdAt,
    updatedAt: ctx.now.ts,
  };
  const price = fromBN(order.price);
  if (price !== 0n) core.price = price;
  if (order.userOrderId !== 0) core.userOrderId = order.userOrderId;
  if (!order.maxTs.isZero()) core.maxTs = bnToSafeNumber(order.maxTs, 'maxTs') * 1_000;
  if (ctx.clientOrderId !== undefined) core.clientOrderId = ctx.clientOrderId;
  return core;
}

/**
 * A perp position in the fleet's convention: `quoteEntryAmount` has the position's sign (Drift's
 * is the quote paid, negative for a long). Realized PnL is what Drift has booked to the position
 * and not yet settled (quoteAssetAmount - quoteEntryAmount: closed PnL, fees, funding) plus what
 * it settled to the USDC balance.
 */
export function toCorePosition(
  p: PerpPosition,
  subAccount: number,
  market: string,
  oracle: bigint,
): Position {
  const base = fromBN(p.baseAssetAmount);
  const quoteEntry = -fromBN(p.quoteEntryAmount);
  return {
    subAccount,
    market,
    baseAmount: base,
    quoteEntryAmount: quoteEntry,
    entryPrice: base === 0n ? 0n : priceOf(quoteEntry, base, 'half-even'),
    realizedPnl: unsettledPnlOf(p) + fromBN(p.settledPnl),
    unrealizedPnl: base === 0n ? 0n : quoteValue(oracle, base, 'trunc') - quoteEntry,
  };
}

/** What a perp position has booked and not yet settled into USDC (closed PnL, fees, funding). */
export function unsettledPnlOf(p: PerpPosition): bigint {
  return fromBN(p.quoteAssetAmount) - fromBN(p.quoteEntryAmount);
}

export interface AccountInputs {
  subAccount: number;
  /** Signed USDC balance (deposits - borrows), QUOTE_PRECISION. */
  usdcBalance: bigint;
  /** PnL, fees and funding booked to perp positions but not yet settled into USDC. */
  unsettledPnl: bigint;
  positions: Position[];
  /** Oracle price per market of the positions. */
  oracles: ReadonlyMap<string, bigint>;
  initialMarginRequirement: bigint;
  maintenanceMarginRequirement: bigint;
}

/** Account state from the USDC balance, the positions and the SDK's margin requirements. */
export function toAccountState(a: AccountInputs): AccountState {
  const collateral = a.usdcBalance + a.unsettledPnl;
  const unrealizedPnl = a.positions.reduce((sum, p) => sum + p.unrealizedPnl, 0n);
  const equity = collateral + unrealizedPnl;
  const grossNotional = a.positions.reduce(
    (sum, p) => sum + quoteValue(a.oracles.get(p.market) ?? 0n, absBig(p.baseAmount), 'trunc'),
    0n,
  );
  const free = equity - a.initialMarginRequirement;
  return {
    subAccount: a.subAccount,
    collateral,
    unrealizedPnl,
    equity,
    grossNotional,
    initialMarginRequirement: a.initialMarginRequirement,
    maintenanceMarginRequirement: a.maintenanceMarginRequirement,
    freeMargin: free > 0n ? free : 0n,
    leverageBps:
      grossNotional === 0n
        ? 0n
        : equity <= 0n
          ? 2n ** 63n - 1n
          : divRound(grossNotional * BPS, equity, 'ceil'),
    positions: a.positions,
  };
}

export interface FillContext {
  /** Our user account (maker or taker of the record). */
  user: PublicKey;
  subAccount: number;
  market: string;
  clientOrderIdOf: (orderId: number) => string | undefined;
}

/** Our side of a fill record, or undefined when the record is not a fill of `user`. */
/**
 * The program's reason for cancelling one of `user`'s orders, when the record is such a cancel and
 * its explanation is one the fleet has a reject reason for (e.g. `reduceOnlyOrderIncreasedPosition`).
 */
export function cancelReasonOf(
  r: OrderActionRecord,
  user: PublicKey,
): { orderId: number; reason: RejectReason } | undefined {
  if (!isVariant(r.action, 'cancel')) return undefined;
  const orderId = r.taker?.equals(user) ? r.takerOrderId : r.maker?.equals(user) ? r.makerOrderId : null;
  const explanation = Object.keys(r.actionExplanation ?? {})[0];
  if (orderId === null || !explanation) return undefined;
  const reason = rejectReasonFrom(explanation.charAt(0).toUpperCase() + explanation.slice(1));
  return reason === 'venue-error' ? undefined : { orderId, reason };
}

export function toCoreFill(r: OrderActionRecord, ctx: FillContext): Fill | undefined {
  if (!isVariant(r.action, 'fill')) return undefined;
  const base = r.baseAssetAmountFilled ? fromBN(r.baseAssetAmountFilled) : 0n;
  const quote = r.quoteAssetAmountFilled ? fromBN(r.quoteAssetAmountFilled) : 0n;
  if (base === 0n) return undefined;
  const asTaker = r.taker?.equals(ctx.user) ?? false;
  const asMaker = !asTaker && (r.maker?.equals(ctx.user) ?? false);
  if (!asTaker && !asMaker) return undefined;
  const orderId = asTaker ? r.takerOrderId : r.makerOrderId;
  const direction = asTaker ? r.takerOrderDirection : r.makerOrderDirection;
  const fee = asTaker ? r.takerFee : r.makerFee;
  if (orderId === null || direction === null) return undefined;
  const fill: Fill = {
    fillId: `${ctx.market}:${r.fillRecordId?.toString() ?? '?'}:${asTaker ? 't' : 'm'}`,
    orderId: String(orderId),
    subAccount: ctx.subAccount,
    market: ctx.market,
    side: sideOf(direction),
    price: priceOf(quote, base, 'half-even'),
    baseAmount: base,
    quoteAmount: quote,
    fee: fee ? fromBN(fee) : 0n,
    liquidity: asTaker ? 'taker' : 'maker',
    ts: r.ts.toNumber() * 1000,
  };
  const clientOrderId = ctx.clientOrderIdOf(orderId);
  if (clientOrderId !== undefined) fill.clientOrderId = clientOrderId;
  return fill;
}
