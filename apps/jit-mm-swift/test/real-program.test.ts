/**
 * jit-mm-swift's decision path against the compiled Drift program (drift-client's lane): a taker's
 * market sell on chain is found by the project's AuctionTakerSource, the real JitMaker decides it
 * with its edge, waits for the decided slot of the auction (its clock is the oracle's slot) and
 * fills through a real OrderManager (@drift/domain's risk limits, SQLite journal) and DriftVenue's
 * place-and-make. On chain: the fill at the decided price and size, both positions; the journal
 * agrees with the chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteValue, type TakerOrder } from '@drift/domain';
import { recordingLogger } from '@drift/test-support';
import {
  auctionSource,
  describeLane,
  eventually,
  MODES,
  readUser,
  SOL_PERP,
  TAKER_BASE,
} from 'drift-client/lane';
import { startRiskCheckedOrders } from 'order-management';
import { describe, expect, it } from 'vitest';
import { JitMaker } from '../src/bot.js';
import { decide } from '../src/decide.js';
import { quoteParamsFor } from '../src/params.js';
// The simulator tests' parameters: a 4 bps edge under the $150 oracle, which the auction (from the
// oracle down to $140) passes after its first slot.
import { LIMITS, PARAMS } from './harness.js';

describeLane('jit-mm-swift decision path', (lane) => {
  describe.each(MODES)('%s', (mode) => {
    it('an on-chain auction: filled at the decided slot and price, edge kept; journal = chain', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jit-lane-'));
      const logger = recordingLogger();
      const maker = await lane().venue(mode);
      const venue = maker.venue;
      const orders = await startRiskCheckedOrders({
        bot: 'jit-mm-swift',
        venue,
        journal: join(dir, 'jit-mm-swift.sqlite'),
        logger,
        rateLimit: false,
        limits: LIMITS,
      });
      // The taker stream a live jit-mm-swift merges with Swift's: the venue's on-chain auctions.
      const takers = auctionSource(lane(), mode, venue);
      const jit = new JitMaker({ venue, takers, orders, logger, params: PARAMS, verify: () => true });
      const seen: TakerOrder[] = [];
      takers.subscribe(['SOL-PERP'], (o) => seen.push(o));
      try {
        await jit.start();
        await takers.ready();
        const taker = await lane().venue(mode);
        const placed = await taker.venue.placeOrder({
          market: 'SOL-PERP',
          side: 'sell',
          type: 'market',
          price: 140_000_000n,
          baseAmount: TAKER_BASE,
        });
        expect(placed).toMatchObject({ ok: true });
        const auction = await eventually(
          () => seen.find((o) => o.taker === taker.venue.authority),
          5_000,
          'the auction taker source to emit the taker order',
        );
        // What the maker must decide, by its own rule, at the auction's first slot.
        const decision = decide({
          taker: auction,
          market: venue.markets()[0]!,
          oraclePrice: SOL_PERP.price,
          slot: auction.auction.startSlot,
          position: 0n,
          params: quoteParamsFor(PARAMS, 'SOL-PERP'),
          volatile: false,
        });
        if (decision.decision !== 'fill') throw new Error(`expected a fill decision, got ${decision.reason}`);
        expect(decision.fillSlot).toBeGreaterThan(auction.auction.startSlot);
        expect(decision.price).toBeLessThanOrEqual(decision.requiredPrice);

        // The chain moves one slot per oracle update; the maker's clock follows the oracle's slot.
        await eventually(
          async () => {
            await jit.idle();
            const { filled, lost, skipped } = jit.counters();
            if (filled + lost + Object.keys(skipped).length > 0) return true;
            await lane().exchange.setOraclePrice(SOL_PERP.price);
            const slot = lane().chain.rpc.slot;
            await eventually(
              async () => ((await venue.getOraclePrice('SOL-PERP')).slot >= slot ? true : undefined),
              5_000,
              'the maker venue to see the oracle slot',
            );
            return undefined;
          },
          15_000,
          'the maker to fill the auction',
        );
        await jit.idle();
        expect(jit.counters()).toMatchObject({ seen: 1, filled: 1, attempts: 1, lost: 0 });

        // On chain: the maker long and the taker short by the decided size, at the decided price.
        const makerChain = await readUser(lane().chain, maker.user.userAccount());
        expect(makerChain.perpBase(SOL_PERP.marketIndex)).toBe(decision.baseAmount);
        expect(makerChain.openOrders).toEqual([]);
        const position = makerChain.account.perpPositions.find((p) => p.marketIndex === SOL_PERP.marketIndex);
        expect(BigInt(position?.quoteEntryAmount.toString() ?? '0')).toBe(
          -quoteValue(decision.price, decision.baseAmount),
        );
        const takerChain = await readUser(lane().chain, taker.user.userAccount());
        expect(takerChain.perpBase(SOL_PERP.marketIndex)).toBe(-decision.baseAmount);

        // The journal: one order, filled, its one fill as on chain.
        const journaled = orders.journal.allOrders();
        expect(journaled).toHaveLength(1);
        expect(journaled[0]).toMatchObject({
          side: 'buy',
          baseAmount: decision.baseAmount,
          price: decision.price,
          status: 'filled',
          filledBase: decision.baseAmount,
        });
        const fills = orders.journal.fillsFor(journaled[0]!);
        expect(fills.map((f) => [f.baseAmount, f.price, f.liquidity])).toEqual([
          [decision.baseAmount, decision.price, 'maker'],
        ]);
        expect(jit.position('SOL-PERP')).toBe(decision.baseAmount);
      } finally {
        await jit.stop();
        await takers.close();
        await orders.stop({ cancel: false });
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
