/**
 * hedge-bot's decision path against the compiled Drift program (drift-client's lane): the market
 * maker's sub-account holds a long on chain; the real HedgeBot, with a real OrderManager (@drift/domain's
 * risk limits, SQLite journal) over DriftVenue, reads it and sends its capped market sell. The
 * order is on chain as decided, a maker fills its auction, the fleet's net is back inside the band
 * on chain, and the journal agrees with the chain. With `orderType: limit` (on an exchange whose
 * State lets the AMM fill a new order at once) its IOC limit sell goes out as Drift's
 * place-and-take and trades at once against the AMM, nothing left resting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LimitSet, parseBase, parseQuote } from '@drift/domain';
import { type LogLine, recordingLogger } from '@drift/test-support';
import {
  auctionFor,
  auctionSeen,
  describeLane,
  eventually,
  type Lane,
  type LaneUser,
  type LaneVenue,
  MAKER_BID,
  MODES,
  type Mode,
  readUser,
  SOL_PERP,
  USDC_10K,
} from 'drift-client/lane';
import { startRiskCheckedOrders } from 'order-management';
import { beforeAll, describe, expect, it } from 'vitest';
import { HedgeBot } from '../src/bot.js';
import type { HedgeBotParams } from '../src/params.js';

const HEDGE = 0; // the hedge bot's own sub-account
const MM = 1; // the market maker's, watched
const MM_LONG = parseBase('3');

const PARAMS: HedgeBotParams = {
  watchSubAccounts: [MM],
  bandBase: { 'SOL-PERP': parseBase('1') },
  maxOrderBase: { 'SOL-PERP': parseBase('2') },
  maxSlippageBps: 40,
  cooldownMs: 2_000,
  pollIntervalMs: 1_000,
  orderType: 'market',
};
const HEDGE_SIZE = parseBase('2'); // min(net 3, max order 2)
const HEDGE_LIMIT = 149_400_000n; // $150 oracle - 40 bps

const LIMITS: LimitSet = {
  maxPositionBase: { 'SOL-PERP': parseBase('50') },
  maxGrossNotional: parseQuote('100000'),
  maxLeverageBps: 50_000n,
  dailyLossLimit: parseQuote('5000'),
  staleOracleMs: 5_000,
  maxOrdersPerMinute: 600,
};

describeLane('hedge-bot decision path', (lane) => {
  describe.each(MODES)('%s', (mode) => {
    it('a watched long on chain: one capped market sell lands, fills, net back in band; journal = chain', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hedge-lane-'));
      const lines: LogLine[] = [];
      const logger = recordingLogger(lines);
      const user = await lane().exchange.createUser({ usdc: USDC_10K, subAccounts: [HEDGE, MM] });
      const hedgeAccount = user.userAccount(HEDGE);

      // The market maker's long, made by the program: its sub-account fills a taker's market sell.
      const mm = await lane().venue(mode, { user, subAccount: MM });
      const seeding = await auctionFor(lane(), mode, mm.venue, MM_LONG);
      expect(await mm.venue.fillTakerOrder(seeding, { price: MAKER_BID, baseAmount: MM_LONG })).toMatchObject(
        {
          ok: true,
        },
      );
      expect((await readUser(lane().chain, user.userAccount(MM))).perpBase(SOL_PERP.marketIndex)).toBe(
        MM_LONG,
      );

      const { venue, orders, bot } = await hedgeBot(lane(), mode, user, { dir, logger, params: PARAMS });
      const maker = await lane().venue(mode);
      try {
        // A fresh oracle (the risk check refuses a stale one), then one poll: the bot's decision.
        const auction = await auctionSeen(lane(), mode, maker.venue, venue.authority, async () => {
          await freshOracle(lane(), venue);
          await bot.poll();
        });
        expect(bot.counters().outcomes).toEqual({ hedged: 1 });

        // On chain, as decided: one market sell of the capped size, limited at oracle - 40 bps.
        const placed = await readUser(lane().chain, hedgeAccount);
        expect(placed.openOrders).toEqual([
          expect.objectContaining({
            side: 'sell',
            type: 'market',
            baseAmount: HEDGE_SIZE,
            price: HEDGE_LIMIT,
          }),
        ]);
        const [journaled] = orders.liveOrders();
        expect(journaled).toMatchObject({
          side: 'sell',
          type: 'market',
          baseAmount: HEDGE_SIZE,
          orderId: String(placed.openOrders[0]?.orderId),
        });
        expect(auction).toMatchObject({ side: 'sell', baseAmount: HEDGE_SIZE });
        expect(lines.find((l) => l.msg === 'hedge sent')?.fields).toMatchObject({
          netExposure: '3',
          positions: { [HEDGE]: '0', [MM]: '3' },
        });

        // While the hedge works it counts as done: net 3 - 2 = 1, inside the band, nothing sent.
        await bot.poll();
        expect(bot.counters().outcomes).toEqual({ hedged: 1, 'inside-band': 1 });
        expect((await readUser(lane().chain, hedgeAccount)).openOrders).toHaveLength(1);

        // Our market maker fills the auction: the hedge's position is on chain and the journal agrees.
        const fill = await maker.venue.fillTakerOrder(auction, { price: MAKER_BID, baseAmount: HEDGE_SIZE });
        expect(fill).toMatchObject({ ok: true });
        const filled = await readUser(lane().chain, hedgeAccount);
        expect(filled.perpBase(SOL_PERP.marketIndex)).toBe(-HEDGE_SIZE);
        expect(filled.openOrders).toEqual([]);
        const settled = await eventually(
          () => {
            const o = journaled && orders.journal.get(journaled.clientOrderId);
            return o?.status === 'filled' ? o : undefined;
          },
          10_000,
          'the journal to record the fill',
        );
        expect(settled).toMatchObject({ filledBase: HEDGE_SIZE });

        // The fleet's net on chain is inside the band; the next poll leaves it alone.
        await eventually(
          async () => ((await venue.getPositions())[0]?.baseAmount === -HEDGE_SIZE ? true : undefined),
          5_000,
          'the hedge venue to see its position',
        );
        await bot.poll();
        expect(bot.counters().outcomes).toEqual({ hedged: 1, 'inside-band': 2 });
        expect((await readUser(lane().chain, hedgeAccount)).openOrders).toEqual([]);
      } finally {
        await bot.stop();
        await orders.stop({ cancel: false });
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

describeLane('hedge-bot IOC limit path', (lane) => {
  beforeAll(async () => {
    await lane().exchange.setMinPerpAuctionDuration(0);
  });

  describe.each(MODES)('%s', (mode) => {
    it('a watched long on chain: one IOC limit sell fills at once, net back in band; journal = chain', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hedge-ioc-lane-'));
      const lines: LogLine[] = [];
      const logger = recordingLogger(lines);
      const user = await lane().exchange.createUser({ usdc: USDC_10K, subAccounts: [HEDGE, MM] });
      const hedgeAccount = user.userAccount(HEDGE);

      // The market maker's long, taken from the AMM by an IOC buy on a fresh oracle.
      const mm = await lane().venue(mode, { user, subAccount: MM });
      await lane().exchange.setOraclePrice(SOL_PERP.price);
      const seeded = await mm.venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        price: 155_000_000n,
        baseAmount: MM_LONG,
        ioc: true,
      });
      expect(seeded).toMatchObject({ ok: true, order: { status: 'filled', filledBase: MM_LONG } });

      const params: HedgeBotParams = { ...PARAMS, orderType: 'limit' };
      const { venue, orders, bot } = await hedgeBot(lane(), mode, user, { dir, logger, params });
      try {
        // A fresh oracle: the risk check refuses a stale one, and the AMM fills only on a fresh one.
        await freshOracle(lane(), venue);
        await bot.poll();
        expect(bot.counters().outcomes).toEqual({ hedged: 1 });
        expect(lines.find((l) => l.msg === 'hedge sent')?.fields).toMatchObject({
          type: 'limit',
          status: 'filled',
          netExposure: '3',
        });

        // On chain: the hedge filled at once, nothing resting; the journal says the same.
        const chain = await readUser(lane().chain, hedgeAccount);
        expect(chain.perpBase(SOL_PERP.marketIndex)).toBe(-HEDGE_SIZE);
        expect(chain.openOrders).toEqual([]);
        const [journaled, ...others] = orders.journal.allOrders();
        expect(others).toEqual([]);
        expect(journaled).toMatchObject({ side: 'sell', type: 'limit', ioc: true, status: 'filled' });
        if (!journaled) return;
        expect(journaled.filledBase).toBe(-chain.perpBase(SOL_PERP.marketIndex));
        expect(orders.journal.fillsFor(journaled).reduce((sum, f) => sum + f.baseAmount, 0n)).toBe(
          HEDGE_SIZE,
        );
        expect(orders.liveOrders()).toEqual([]);

        // The fleet's net on chain (3 - 2) is inside the band; the next poll leaves it alone.
        await eventually(
          async () => ((await venue.getPositions())[0]?.baseAmount === -HEDGE_SIZE ? true : undefined),
          5_000,
          'the hedge venue to see its position',
        );
        await bot.poll();
        expect(bot.counters().outcomes).toEqual({ hedged: 1, 'inside-band': 1 });
      } finally {
        await bot.stop();
        await orders.stop({ cancel: false });
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

/**
 * The bot under test: a venue on the hedge sub-account following the market maker's (which it has
 * seen hold its long), a risk-checked OrderManager journaling in `dir`, and the HedgeBot.
 */
async function hedgeBot(
  lane: Lane,
  mode: Mode,
  user: LaneUser,
  opts: { dir: string; logger: ReturnType<typeof recordingLogger>; params: HedgeBotParams },
) {
  const { venue } = await lane.venue(mode, { user, subAccount: HEDGE, subAccounts: [MM] });
  await eventually(
    async () =>
      (await venue.getPositions({ subAccount: MM }))[0]?.baseAmount === MM_LONG ? true : undefined,
    5_000,
    'the hedge venue to see the watched long',
  );
  const orders = await startRiskCheckedOrders({
    bot: 'hedge-bot',
    venue,
    journal: join(opts.dir, 'hedge-bot.sqlite'),
    logger: opts.logger,
    rateLimit: false,
    limits: LIMITS,
  });
  const bot = new HedgeBot({ venue, orders, logger: opts.logger, params: opts.params });
  return { venue, orders, bot };
}

/** Publishes the oracle now and waits until the venue has read the new slot. */
async function freshOracle(lane: Lane, venue: LaneVenue['venue']): Promise<void> {
  const before = (await venue.getOraclePrice('SOL-PERP')).slot;
  await lane.exchange.setOraclePrice(SOL_PERP.price);
  await eventually(
    async () => ((await venue.getOraclePrice('SOL-PERP')).slot > before ? true : undefined),
    5_000,
    'the venue to see the new oracle slot',
  );
}
