import { describe, expect, it } from 'vitest';
import { rejectReasonFrom } from './drift-program-errors.js';

describe('rejectReasonFrom', () => {
  it('maps Drift program errors named in logs to typed reasons', () => {
    const log = (name: string) =>
      `Program log: AnchorError occurred. Error Code: ${name}. Error Number: 6000.`;
    expect(rejectReasonFrom(log('InsufficientCollateral'))).toBe('insufficient-margin');
    expect(rejectReasonFrom(log('PlacePostOnlyLimitFailure'))).toBe('post-only-would-cross');
    expect(rejectReasonFrom(log('ReduceOnlyOrderIncreasedRisk'))).toBe('reduce-only-increases');
    // The explanation of the program's fill-time cancel of a reduce-only order that would increase.
    expect(rejectReasonFrom('ReduceOnlyOrderIncreasedPosition')).toBe('reduce-only-increases');
    expect(rejectReasonFrom(log('InvalidOrderNotStepSizeMultiple'))).toBe('invalid-size');
    expect(rejectReasonFrom(log('AuctionPriceDoesNotSatisfyMaker'))).toBe('invalid-price');
    expect(rejectReasonFrom(log('SignedMsgOrderDoesNotExist'))).toBe('auction-ended');
    expect(rejectReasonFrom(log('OrderDoesNotExist'))).toBe('order-not-found');
    expect(rejectReasonFrom(log('InvalidOrderMaxTs'))).toBe('order-expired');
    expect(rejectReasonFrom(log('MarketPlaceOrderPaused'))).toBe('halted');
    expect(rejectReasonFrom('Blockhash not found')).toBe('venue-error');
  });
});
