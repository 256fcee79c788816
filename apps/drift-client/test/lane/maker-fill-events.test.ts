/**
 * Real program: a resting maker order filled by another party must be reported `filled` (never
 * `cancelled`) whatever order the node delivers the account update and the fill logs in, when one
 * of them never comes, and in polling mode when the order opened and filled between two polls.
 * When the fill's transaction is never readable and no fill log comes, the account's position
 * change settles it; when that change cannot be attributed to one order, the outcome is unknown.
 */
import type { Order, VenueEvent } from '@drift/domain';
import {
  BN,
  getLimitOrderParams,
  PositionDirection,
  PostOnlyParams,
  type UserAccount,
} from '@drift-labs/sdk';
import { Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import type { Delivery } from './bankrun-chain.js';
import { describeLane, eventually, type LaneVenue, MODES, type Mode } from './lane.js';
import { takeMakerOrder } from './taker.js';

const BASE = 1_000_000_000n;
const BID = 150_000_000n;

function orderEvents(events: VenueEvent[], orderId: string): Order[] {
  return events.flatMap((e) => (e.type === 'order' && e.order.orderId === orderId ? [e.order] : []));
}

describeLane('maker fill order events', (lane) => {
  async function restingBid(mode: Mode): Promise<{ maker: LaneVenue; orderId: string }> {
    const maker = await lane().venue(mode);
    return { maker, orderId: await placeBid(maker) };
  }

  /** A post-only bid of the maker's, resting; its order id. */
  async function placeBid(maker: LaneVenue): Promise<string> {
    const placed = await maker.venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      price: BID,
      baseAmount: BASE,
      postOnly: true,
    });
    if (!placed.ok) throw new Error(`maker bid refused: ${placed.reason} ${placed.message}`);
    return placed.order.orderId;
  }

  /** Waits for the order's terminal event, then a little more for a contradicting late one. */
  async function settledEvents(maker: LaneVenue, orderId: string): Promise<Order[]> {
    await eventually(
      () => orderEvents(maker.events, orderId).find((o) => o.status === 'filled' || o.status === 'cancelled'),
      5_000,
      `a terminal event for order ${orderId}`,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    return orderEvents(maker.events, orderId);
  }

  const deliveries: [string, (account: string) => Delivery][] = [
    [
      'account update first',
      () => ({ order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set(), gapMs: 300 }),
    ],
    [
      'fill logs first',
      () => ({ order: 'logs-first', dropAccounts: new Set(), dropLogsOf: new Set(), gapMs: 300 }),
    ],
    [
      'account update dropped',
      (a) => ({ order: 'accounts-first', dropAccounts: new Set([a]), dropLogsOf: new Set() }),
    ],
    [
      'fill logs dropped',
      (a) => ({ order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set([a]) }),
    ],
  ];

  describe('websocket', () => {
    it.each(deliveries)('%s: open, then filled, never cancelled', async (_, delivery) => {
      const { maker, orderId } = await restingBid('websocket');
      await eventually(() => orderEvents(maker.events, orderId)[0], 2_000, 'the open event');
      lane().chain.delivery = delivery(maker.user.userAccount().toBase58());
      try {
        await takeMakerOrder(lane(), 'websocket', { user: maker.user, orderId: Number(orderId) }, BASE);
      } finally {
        lane().chain.delivery = { order: 'accounts-first', dropAccounts: new Set(), dropLogsOf: new Set() };
      }
      const events = await settledEvents(maker, orderId);
      expect(events.map((o) => o.status)).toEqual(['open', 'filled']);
      expect(events.at(-1)?.filledBase).toBe(BASE);
    });
  });

  describe.each(MODES)('%s: the fill transaction never readable and no fill log', (mode) => {
    /** The terminal or unknown-outcome event of each order, waited for past the bounded reads. */
    async function outcomes(maker: LaneVenue, orderIds: string[]): Promise<Order[][]> {
      for (const id of orderIds) {
        await eventually(
          () =>
            orderEvents(maker.events, id).find(
              (o) => o.status === 'filled' || o.status === 'cancelled' || o.reason === 'outcome-unknown',
            ),
          15_000,
          `an end or an unknown outcome for order ${id}`,
        );
      }
      await new Promise((r) => setTimeout(r, 1_000)); // a contradicting late event would show
      return orderIds.map((id) => orderEvents(maker.events, id));
    }

    it('a resting bid filled by a taker: open, then filled with its size, from the position change', async () => {
      const { maker, orderId } = await restingBid(mode);
      await eventually(() => orderEvents(maker.events, orderId)[0], 2_000, 'the open event');
      const restore = lane().chain.hideOutcomes(maker.user.userAccount(), { lag: false });
      try {
        await takeMakerOrder(lane(), mode, { user: maker.user, orderId: Number(orderId) }, BASE);
      } finally {
        restore();
      }
      const [events] = await outcomes(maker, [orderId]);
      expect(events?.map((o) => o.status)).toEqual(['open', 'filled']);
      expect(events?.at(-1)?.filledBase).toBe(BASE);
      // No fill record was ever read: the account alone settled it, at the bid's price.
      expect(maker.events.filter((e) => e.type === 'fill' && e.fill.orderId === orderId)).toEqual([]);
      expect(settledFromAccount(orderId)).toMatchObject({ filledBase: '1', price: '150' });
    });

    it('two resting bids filled by one taker transaction: outcome unknown for both, never cancelled', async () => {
      const { maker, orderId: first } = await restingBid(mode);
      const second = await placeBid(maker);
      const ids = [first, second];
      for (const id of ids)
        await eventually(() => orderEvents(maker.events, id)[0], 2_000, 'the open events');
      const restore = lane().chain.hideOutcomes(maker.user.userAccount(), { lag: false });
      try {
        await takeMakerOrder(lane(), mode, { user: maker.user, orderId: Number(first) }, 2n * BASE);
      } finally {
        restore();
      }
      const events = await outcomes(maker, ids);
      for (const orderEventsOfOne of events) {
        expect(orderEventsOfOne.map((o) => [o.status, o.reason])).toEqual([
          ['open', undefined],
          ['open', 'outcome-unknown'],
        ]);
      }
      const why = (id: string) =>
        lane().logger.lines.find((l) => l.fields.orderId === id && l.msg.includes('outcome unknown'))?.fields
          .why;
      expect(why(first)).toBe(`order ${second} of the market also changed between the two reads`);
      expect(why(second)).toBe(`order ${first} of the market also changed between the two reads`);
      // The chain did fill both: what the venue could not attribute was real.
      await maker.venue.driftClient().getUser().fetchAccounts();
      const [position] = await maker.venue.getPositions();
      expect(position?.baseAmount).toBe(2n * BASE);
    });
  });

  /** The venue's log line settling `orderId` from the account's position change. */
  function settledFromAccount(orderId: string): Record<string, unknown> | undefined {
    return lane().logger.lines.find(
      (l) => l.fields.orderId === orderId && l.msg.includes('settled from the position change'),
    )?.fields;
  }

  describe('polling', () => {
    it('account read first (getTransaction null for a while): open, then filled, never cancelled', async () => {
      const { maker, orderId } = await restingBid('polling');
      await eventually(() => orderEvents(maker.events, orderId)[0], 2_000, 'the open event');
      lane().chain.hideLanded = 3;
      try {
        await takeMakerOrder(lane(), 'polling', { user: maker.user, orderId: Number(orderId) }, BASE);
      } finally {
        lane().chain.hideLanded = 0;
      }
      const events = await settledEvents(maker, orderId);
      expect(events.map((o) => o.status)).toEqual(['open', 'filled']);
      expect(events.at(-1)?.filledBase).toBe(BASE);
    });

    it.each([
      ['fill read first (the node behind on the account), then the account', true],
      ['account update never read (the node stays behind on it): filled from the fill alone', false],
    ])('%s: open, then filled', async (_, catchUpAfterFill) => {
      const { maker, orderId } = await restingBid('polling');
      await eventually(() => orderEvents(maker.events, orderId)[0], 2_000, 'the open event');
      const account = maker.user.userAccount();
      lane().chain.lagging.add(account.toBase58());
      try {
        await takeMakerOrder(lane(), 'polling', { user: maker.user, orderId: Number(orderId) }, BASE);
        await eventually(
          () => maker.events.find((e) => e.type === 'fill' && e.fill.orderId === orderId),
          5_000,
          'the fill read from the transaction',
        );
        if (catchUpAfterFill) await lane().chain.catchUp(account);
        const events = await settledEvents(maker, orderId);
        expect(events.map((o) => o.status)).toEqual(['open', 'filled']);
        expect(events.at(-1)?.filledBase).toBe(BASE);
      } finally {
        await lane().chain.catchUp(account);
      }
    });

    it('filled between two polls: open, then filled', async () => {
      const { maker, orderId } = await restingBid('polling');
      // A poll has seen it open (else this is the within-one-poll case below).
      await eventually(() => orderEvents(maker.events, orderId)[0], 5_000, 'the open event');
      await takeMakerOrder(lane(), 'polling', { user: maker.user, orderId: Number(orderId) }, BASE);
      const events = await settledEvents(maker, orderId);
      expect(events.map((o) => o.status)).toEqual(['open', 'filled']);
      expect(events.at(-1)?.filledBase).toBe(BASE);
    });

    it('opened and filled within one poll (placed by another process of the wallet): reported filled', async () => {
      const maker = await lane().venue('polling');
      const account = maker.user.userAccount();
      // The node serves the account as it was until both transactions landed: no poll sees it open.
      lane().chain.lagging.add(account.toBase58());
      let orderId: number;
      try {
        const client = maker.venue.driftClient();
        const ix = await client.getPlacePerpOrderIx(
          getLimitOrderParams({
            marketIndex: 0,
            direction: PositionDirection.LONG,
            baseAssetAmount: new BN(BASE.toString()),
            price: new BN(BID.toString()),
            postOnly: PostOnlyParams.MUST_POST_ONLY,
          }),
        );
        await lane().chain.send(new Transaction().add(ix), [maker.user.keypair]);
        const bytes = await lane().chain.account(account);
        const user = client.program.coder.accounts.decode<UserAccount>(
          'User',
          Buffer.from(bytes?.data ?? []),
        );
        orderId = user.nextOrderId - 1;
        await takeMakerOrder(lane(), 'polling', { user: maker.user, orderId }, BASE);
      } finally {
        await lane().chain.catchUp(account);
      }
      const events = await settledEvents(maker, String(orderId));
      expect(events.map((o) => o.status)).toEqual(['filled']);
      expect(events[0]?.filledBase).toBe(BASE);
    });
  });
});
