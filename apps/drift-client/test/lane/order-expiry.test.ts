/**
 * Real program: a resting maker order past its maxTs is never filled. The bank's clock is moved
 * past the order's `max_ts` (the slot stays, so the oracle stays fresh) and another party sells
 * into the bid with `placeAndTakePerpOrder`: the maker fills nothing. A bid of the maker's without
 * expiry, placed next, is filled by the same take (the control: the take path works).
 */
import { expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { describeLane } from './lane.js';
import { MAKER_BID, takeMakerOrder } from './taker.js';

const ONE_SOL = 1_000_000_000n;

describeLane('order expiry (maxTs)', (lane) => {
  it('a resting order past its maxTs is never filled by a crossing taker', async () => {
    const { chain } = lane();
    const maker = await lane().venue('websocket');
    const nowMs = Math.max(Date.now(), (await chain.unixTime()) * 1_000);
    const maxTs = nowMs + 10_000;
    const bid = {
      market: 'SOL-PERP',
      side: 'buy' as const,
      type: 'limit' as const,
      price: MAKER_BID,
      baseAmount: ONE_SOL,
      postOnly: true,
    };
    const position = async () => {
      const account = (await readUser(chain, maker.user.userAccount())).account;
      return account.perpPositions.find((p) => p.marketIndex === 0)?.baseAssetAmount.toString() ?? '0';
    };
    const placed = await maker.venue.placeOrder({ ...bid, maxTs });
    expect(placed).toMatchObject({
      ok: true,
      order: { status: 'open', maxTs: Math.floor(maxTs / 1_000) * 1_000 },
    });
    if (!placed.ok) return;
    await chain.setUnixTime(Math.floor(maxTs / 1_000) + 60);
    const expiredId = Number(placed.order.orderId);
    await takeMakerOrder(lane(), 'websocket', { user: maker.user, orderId: expiredId }, ONE_SOL);
    const account = (await readUser(chain, maker.user.userAccount())).account;
    const expired = account.orders.find((o) => o.orderId === expiredId && !('init' in o.status));
    // Filled nothing; the program took it off the account (expired) rather than match it.
    expect(expired?.baseAssetAmountFilled.toString() ?? '0').toBe('0');
    expect(await position()).toBe('0');

    const control = await maker.venue.placeOrder(bid);
    if (!control.ok) throw new Error(`control bid refused: ${control.message}`);
    await takeMakerOrder(
      lane(),
      'websocket',
      { user: maker.user, orderId: Number(control.order.orderId) },
      ONE_SOL,
    );
    expect(await position()).toBe(ONE_SOL.toString());
  });
});
