/**
 * Real program: a place-and-make fill whose transaction confirmed but whose events cannot be read
 * at once (or ever) must be reported as the fill it was, from the account when needed, and as
 * `outcome-unknown` when nothing can tell: never as a failure a caller would retry.
 */
import { describe, expect, it } from 'vitest';
import { describeLane, MODES } from './lane.js';
import { auctionFor, MAKER_BID, TAKER_BASE } from './taker.js';

describeLane('fillTakerOrder outcome', (lane) => {
  describe.each(MODES)('%s', (mode) => {
    it('getTransaction null at first: reported filled with its fill', async () => {
      const maker = await lane().venue(mode);
      const taker = await auctionFor(lane(), mode, maker.venue);
      lane().chain.hideLanded = 2;
      const result = await maker.venue.fillTakerOrder(taker, { price: MAKER_BID, baseAmount: TAKER_BASE });
      lane().chain.hideLanded = 0;
      expect(result).toMatchObject({ ok: true, order: { status: 'filled', filledBase: TAKER_BASE } });
      if (!result.ok) return;
      expect(result.fills.map((f) => [f.baseAmount, f.price, f.liquidity])).toEqual([
        [TAKER_BASE, MAKER_BID, 'maker'],
      ]);
      const [position] = await maker.venue.getPositions();
      expect(position?.baseAmount).toBe(TAKER_BASE);
    });

    it('getTransaction never answers and no log arrives: filled, from the account before and after', async () => {
      const maker = await lane().venue(mode);
      const taker = await auctionFor(lane(), mode, maker.venue);
      const restore = lane().chain.hideOutcomes(maker.user.userAccount(), { lag: false });
      try {
        const result = await maker.venue.fillTakerOrder(taker, {
          price: MAKER_BID,
          baseAmount: TAKER_BASE,
        });
        expect(result).toMatchObject({ ok: true, order: { status: 'filled', filledBase: TAKER_BASE } });
        const [position] = await maker.venue.getPositions();
        expect(position?.baseAmount).toBe(TAKER_BASE);
      } finally {
        restore();
      }
    });

    it('nothing can tell (node behind on the account, no transaction, no log): outcome-unknown', async () => {
      const maker = await lane().venue(mode);
      const taker = await auctionFor(lane(), mode, maker.venue);
      const account = maker.user.userAccount();
      const restore = lane().chain.hideOutcomes(account, { lag: true });
      try {
        const result = await maker.venue.fillTakerOrder(taker, {
          price: MAKER_BID,
          baseAmount: TAKER_BASE,
        });
        expect(result).toMatchObject({ ok: false, reason: 'outcome-unknown' });
      } finally {
        restore();
        await lane().chain.catchUp(account);
      }
      // The chain did fill it: the account, once the node caught up, shows the position.
      await maker.venue.driftClient().getUser().fetchAccounts();
      const [position] = await maker.venue.getPositions();
      expect(position?.baseAmount).toBe(TAKER_BASE);
    });
  });
});
