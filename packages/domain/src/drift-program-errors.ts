/**
 * The Drift program's errors (by name, as they appear in a transaction's logs or error) mapped to
 * the fleet's reject reasons: the one table the live venue reads failed transactions with and the
 * simulator names its refusals by, so that bots meet in paper what they will meet live.
 */
import type { RejectReason } from './trading.js';

const PROGRAM_ERRORS: ReadonlyArray<[RegExp, RejectReason]> = [
  [/InsufficientCollateral\b/, 'insufficient-margin'],
  [/PlacePostOnlyLimitFailure|InvalidOrderPostOnly|CantMatchTwoPostOnlys/, 'post-only-would-cross'],
  // ReduceOnlyOrderIncreasedPosition: the explanation of the program's cancel of a reduce-only
  // order at fill time (placement accepts it; the fill would have increased the position).
  [/ReduceOnlyOrderIncreasedRisk|ReduceOnlyOrderIncreasedPosition|UserReduceOnly/, 'reduce-only-increases'],
  [
    /OrderSizeTooSmall|InvalidOrderSizeTooSmall|InvalidOrderNotStepSizeMultiple|InvalidOrderMinOrderSize|OrderAmountTooSmall/,
    'invalid-size',
  ],
  [
    /InvalidOrderLimitPrice|InvalidPricePrecision|PriceBandsBreached|OrderBreachesOraclePriceLimits/,
    'invalid-price',
  ],
  [/AuctionPriceDoesNotSatisfyMaker/, 'invalid-price'],
  // A Swift order whose signed slot has passed (or already filled) is gone from the taker's list.
  [/SignedMsgOrderDoesNotExist|InvalidSignedMsgOrderId/, 'auction-ended'],
  [/OrderDoesNotExist|OrderNotOpen/, 'order-not-found'],
  // Placed or modified with a max_ts already past; the program never fills an order past it.
  [/InvalidOrderMaxTs/, 'order-expired'],
  [/UserOrderIdAlreadyInUse/, 'duplicate-client-id'],
  [/ExchangePaused|MarketActionPaused|MarketPlaceOrderPaused|MarketFillOrderPaused/, 'halted'],
];

/** The reject reason for a program error named in `text` (`venue-error` when none is known). */
export function rejectReasonFrom(text: string): RejectReason {
  for (const [pattern, reason] of PROGRAM_ERRORS) if (pattern.test(text)) return reason;
  return 'venue-error';
}
