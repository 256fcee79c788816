/**
 * The venue's view of its own account is held to an age (`DriftVenue.accountAsOf`, the freshness
 * guard's `account` source). A websocket subscription is silent while the account does not change,
 * exactly as when it has stalled: a quiet account must stay confirmed (by reads), an update the
 * subscription missed must arrive anyway, and a node that stops answering must leave the view
 * unconfirmed so that its age grows past any bound. Polling follows the loader's polls.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DriftVenue } from '../../src/drift-venue.js';
import { describeLane, eventually } from './lane.js';

const CONFIRM_MS = 300;
const ONE_SOL = 1_000_000_000n;

/** How old the venue's account view is now, ms. */
async function viewAge(venue: DriftVenue): Promise<number> {
  return Date.now() - (await venue.accountAsOf()).ts;
}

/** The largest view age seen over `ms`, sampled as the freshness guard does. */
async function maxAgeOver(venue: DriftVenue, ms: number): Promise<number> {
  let max = 0;
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    max = Math.max(max, await viewAge(venue));
  }
  return max;
}

describeLane('the account view is confirmed, not assumed', (lane) => {
  // A live chain's slot advances on its own (the lane's only with transactions).
  let ticker: NodeJS.Timeout | undefined;
  beforeAll(() => {
    ticker = setInterval(() => lane().chain.tick(), 100);
  });
  afterAll(() => clearInterval(ticker));

  it('websocket: a quiet account stays fresh, confirmed by reads of it', async () => {
    const { venue } = await lane().venue('websocket', { params: { accountConfirmMs: CONFIRM_MS } });
    const readsBefore = lane().chain.rpc.calls.filter((m) => m === 'getAccountInfo').length;
    // Nothing touches the account: no notification comes for 2 s.
    const oldest = await maxAgeOver(venue, 2_000);
    const reads = lane().chain.rpc.calls.filter((m) => m === 'getAccountInfo').length - readsBefore;
    expect(oldest).toBeLessThan(CONFIRM_MS + 400);
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(reads).toBeLessThan(2_000 / CONFIRM_MS + 3); // one read per period, not per check
  });

  it('websocket: a change whose notification never came is read anyway', async () => {
    const { venue, user } = await lane().venue('websocket', { params: { accountConfirmMs: CONFIRM_MS } });
    // Another process of the same wallet changes the account (this venue sent nothing).
    const other = await lane().venue('websocket', { user });
    lane().chain.delivery = {
      order: 'accounts-first',
      dropAccounts: new Set([user.userAccount().toBase58()]),
      dropLogsOf: new Set(),
    };
    try {
      const placed = await other.venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        postOnly: true,
        price: 100_000_000n,
        baseAmount: ONE_SOL,
      });
      expect(placed.ok).toBe(true);
      // Checked as the freshness guard checks: its account age confirms a quiet view by a read.
      const open = await eventually(
        async () => {
          await venue.accountAsOf();
          const orders = await venue.getOpenOrders();
          return orders.length > 0 ? orders : undefined;
        },
        4 * CONFIRM_MS + 1_000,
        'the resting order in the account view',
      );
      expect(open.map((o) => o.price)).toEqual([100_000_000n]);
    } finally {
      lane().chain.delivery = { order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set() };
      await other.venue.cancelAllOrders();
    }
  });

  it.each([
    ['websocket', 'getAccountInfo'],
    ['polling', 'getMultipleAccounts'],
  ] as const)(
    '%s: a node that stops answering %s leaves the view ageing, fresh again after',
    async (mode, method) => {
      const { venue } = await lane().venue(mode, { params: { accountConfirmMs: CONFIRM_MS } });
      await eventually(
        async () => ((await viewAge(venue)) < CONFIRM_MS + 400 ? true : undefined),
        3_000,
        'a fresh view',
      );
      const release = lane().chain.rpc.hold([method]);
      try {
        await new Promise((r) => setTimeout(r, 1_500));
        expect(await viewAge(venue)).toBeGreaterThan(1_200);
      } finally {
        release();
      }
      await eventually(
        async () => ((await viewAge(venue)) < CONFIRM_MS + 400 ? true : undefined),
        3_000,
        'the view fresh again',
      );
    },
  );
});
