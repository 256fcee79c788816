/**
 * DriftVenue with the live defaults — websocket account subscriptions and websocket logs — against
 * the loopback server's Solana PubSub: updates are pushed, not polled.
 */

import type { TakerOrder, VenueEvent } from '@drift/domain';
import { recordingLogger, testFleetConfig } from '@drift/test-support';
import { BN, getUserAccountPublicKeySync } from '@drift-labs/sdk';
import { Keypair } from '@solana/web3.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuctionTakerSource } from '../src/auction-taker-source.js';
import type { DriftVenue } from '../src/drift-venue.js';
import { DEFAULT_PARAMS } from '../src/params.js';
import { DriftChain, PROGRAM_ID } from './support/drift-chain.js';
import { JsonRpcServer } from './support/json-rpc-server.js';
import { pushMakerFill } from './support/maker-fill.js';
import { seedChain } from './support/seed.js';
import { venueOnTestChain } from './support/test-venue.js';

let rpc: JsonRpcServer;
let chain: DriftChain;
let authority: Keypair;
let venue: DriftVenue;
let events: VenueEvent[];

beforeEach(async () => {
  rpc = new JsonRpcServer();
  await rpc.start();
  chain = new DriftChain(rpc);
  authority = Keypair.generate();
  await seedChain(chain, authority);
  venue = venueOnTestChain(rpc, authority, {
    params: { ...DEFAULT_PARAMS, subscription: 'websocket', events: 'websocket' },
  });
  events = [];
  venue.subscribe((e) => events.push(e));
  await venue.connect();
});

afterEach(async () => {
  await venue.close();
  await rpc.stop();
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 4_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('DriftVenue over websocket subscriptions', () => {
  it('subscribes accounts over PubSub and receives pushed oracle and user updates', async () => {
    expect(rpc.wsCalls).toContain('accountSubscribe');
    expect((await venue.getOraclePrice('SOL-PERP')).price).toBe(150_000_000n);

    await chain.setOracle(0, 152_000_000n, 1_010);
    await until(
      () => events.some((e) => e.type === 'oracle' && e.price.price === 152_000_000n),
      'pushed oracle',
    );

    const user = chain.user(authority.publicKey, 0);
    user.orders = user.orders.map((o) => (o.orderId === 5 ? { ...o, status: { canceled: {} } } : o));
    chain.putUser(authority.publicKey, 0, user);
    await until(
      () =>
        events.some((e) => e.type === 'order' && e.order.orderId === '5' && e.order.status === 'cancelled'),
      'pushed order change',
    );
    expect(await venue.getOpenOrders()).toEqual([]);
  });

  it('receives fills from pushed logs of our user account', async () => {
    await until(
      () => rpc.wsCalls.includes('logsSubscribe'),
      `logs subscription (ws calls: ${rpc.wsCalls.join(', ')})`,
    );
    pushMakerFill(rpc, chain, authority.publicKey, {
      ts: 1_700_000_900,
      fillRecordId: 902,
      base: new BN(1_000_000_000),
      quote: new BN(140_000_000),
      makerFee: new BN(-2_800),
      takerOrderId: 9,
      makerOrderId: 5,
    });
    await until(() => events.some((e) => e.type === 'fill'), 'pushed fill');
    expect(events.find((e) => e.type === 'fill')).toMatchObject({
      fill: { orderId: '5', side: 'buy', price: 140_000_000n, liquidity: 'maker' },
    });
  });
});

describe('AuctionTakerSource over websocket', () => {
  it('loads once, then takes new auction orders from pushed program account updates', async () => {
    const source = await createAuctionTakerSource(
      testFleetConfig({ mode: 'live', wallet: { keypairPath: '/unused' } }),
      { logger: recordingLogger(), venue, params: { ...DEFAULT_PARAMS, subscription: 'websocket' } },
    );
    const got: TakerOrder[] = [];
    source.subscribe(['SOL-PERP'], (o) => got.push(o));
    await source.ready();
    await until(() => rpc.wsCalls.includes('programSubscribe'), 'program subscription');
    const loads = rpc.calls.filter((c) => c === 'getProgramAccounts').length;

    const taker = Keypair.generate();
    await chain.setUser({
      authority: taker.publicKey,
      subAccountId: 0,
      usdcDeposit: 1_000_000_000n,
      orders: [
        {
          orderId: 21,
          marketIndex: 0,
          orderType: 'market',
          direction: 'short',
          price: 149_000_000n,
          baseAssetAmount: 1_000_000_000n,
          auction: { startPrice: 149_900_000n, endPrice: 149_000_000n, durationSlots: 15 },
        },
      ],
    });
    await until(() => got.length > 0, 'pushed auction order');
    expect(got).toMatchObject([
      {
        uuid: `${getUserAccountPublicKeySync(PROGRAM_ID, taker.publicKey, 0).toBase58()}:21`,
        side: 'sell',
        auction: { startPrice: 149_900_000n, endPrice: 149_000_000n, startSlot: rpc.slot, durationSlots: 15 },
      },
    ]);
    // Pushed, not polled.
    expect(rpc.calls.filter((c) => c === 'getProgramAccounts').length).toBe(loads);
    await source.close();
  });
});
