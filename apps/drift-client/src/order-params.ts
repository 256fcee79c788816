/**
 * @drift/domain order requests -> the SDK's order params (`getLimitOrderParams` / `getMarketOrderParams`),
 * after the checks the program would otherwise fail a transaction for. A rejected request never
 * reaches the network.
 */
import type { MarketSpec, OrderRequest, RejectReason, Side } from '@drift/domain';
import {
  type BN,
  getLimitOrderParams,
  getMarketOrderParams,
  MarketType,
  type OptionalOrderParams,
  OrderParamsBitFlag,
  PositionDirection,
  PostOnlyParams,
} from '@drift-labs/sdk';
import { toBN } from './bn.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: RejectReason; message: string };

export function directionOf(side: Side): PositionDirection {
  return side === 'buy' ? PositionDirection.LONG : PositionDirection.SHORT;
}

/** Checks size and price against the market's lot, minimum and tick. */
export function checkOrder(
  spec: MarketSpec,
  req: Pick<OrderRequest, 'baseAmount' | 'price' | 'type'>,
): Checked<null> {
  if (req.baseAmount <= 0n) return reject('invalid-size', `baseAmount ${req.baseAmount} is not positive`);
  if (req.baseAmount < spec.minOrderSize)
    return reject(
      'invalid-size',
      `baseAmount ${req.baseAmount} is below ${spec.symbol}'s minimum ${spec.minOrderSize}`,
    );
  if (req.baseAmount % spec.stepSize !== 0n)
    return reject(
      'invalid-size',
      `baseAmount ${req.baseAmount} is not a multiple of ${spec.symbol}'s step ${spec.stepSize}`,
    );
  if (req.type === 'limit' && req.price === undefined)
    return reject('invalid-price', 'a limit order needs a price');
  if (req.price !== undefined) {
    if (req.price <= 0n) return reject('invalid-price', `price ${req.price} is not positive`);
    if (req.price % spec.tickSize !== 0n)
      return reject(
        'price-off-tick',
        `price ${req.price} is not a multiple of ${spec.symbol}'s tick ${spec.tickSize}`,
      );
  }
  return { ok: true, value: null };
}

/** A limit order to fill at once and cancel the rest of (the only kind the IOC flag is sent on). */
export function isImmediateOrCancel(req: Pick<OrderRequest, 'type' | 'ioc'>): boolean {
  return req.type === 'limit' && req.ioc === true;
}

/** The SDK order params for a checked request. */
export function toOrderParams(spec: MarketSpec, req: OrderRequest, userOrderId: number): OptionalOrderParams {
  const common = {
    marketIndex: spec.marketIndex,
    marketType: MarketType.PERP,
    direction: directionOf(req.side),
    baseAssetAmount: toBN(req.baseAmount),
    reduceOnly: req.reduceOnly ?? false,
    userOrderId,
    ...(req.maxTs !== undefined && { maxTs: maxTsSeconds(req.maxTs) }),
  };
  if (req.type === 'market') {
    // The price, when given, is the taker's worst acceptable price (the auction's end).
    return getMarketOrderParams({ ...common, ...(req.price !== undefined && { price: toBN(req.price) }) });
  }
  return getLimitOrderParams({
    ...common,
    price: toBN(req.price ?? 0n),
    postOnly: req.postOnly ? PostOnlyParams.MUST_POST_ONLY : PostOnlyParams.NONE,
    bitFlags: isImmediateOrCancel(req) ? OrderParamsBitFlag.ImmediateOrCancel : 0,
  });
}

/**
 * Drift's `max_ts` is unix seconds and the program expires an order once `now > max_ts`: the
 * venue's ms are floored, so the order never outlives the expiry asked for.
 */
export function maxTsSeconds(maxTsMs: number): BN {
  return toBN(BigInt(Math.floor(maxTsMs / 1_000)));
}

/**
 * The program skips, without an error, an order whose `max_ts` is before its clock (2.84 logs
 * "max_ts (..) < now (..), skipping order"): the transaction lands and nothing rests, which would
 * read as an unknown outcome. Such an order is refused here instead, as the simulator refuses it.
 */
export function checkMaxTs(maxTsMs: number | undefined, nowMs: number): Checked<null> {
  if (maxTsMs === undefined || Math.floor(maxTsMs / 1_000) * 1_000 > nowMs) return { ok: true, value: null };
  return reject(
    'order-expired',
    `maxTs ${new Date(maxTsMs).toISOString()} is not after now (${new Date(nowMs).toISOString()}): the program would skip the order`,
  );
}

function reject(reason: RejectReason, message: string): Checked<never> {
  return { ok: false, reason, message };
}
