/** An on-chain auction to fill: a taker's market order, as the maker's AuctionTakerSource sees it. */
import type { TakerOrder } from '@drift/domain';
import { BN, getMarketOrderParams, getUserStatsAccountPublicKey, PositionDirection } from '@drift-labs/sdk';
import { ComputeBudgetProgram, Transaction } from '@solana/web3.js';
import { AuctionTakerSource } from '../../src/auction-taker-source.js';
import type { DriftVenue } from '../../src/drift-venue.js';
import { DRIFT_ID } from './bankrun-chain.js';
import { readUser } from './chain-user.js';
import type { LaneUser } from './exchange.js';
import { eventually, type Lane, laneParams, type Mode } from './lane.js';

/** 0.5 SOL. */
export const TAKER_BASE = 500_000_000n;

/**
 * A new taker sells `base` at market (its auction runs from the oracle down); resolves with the
 * TakerOrder the maker venue's AuctionTakerSource emitted for it.
 */
export async function auctionFor(
  lane: Lane,
  mode: Mode,
  maker: DriftVenue,
  base = TAKER_BASE,
): Promise<TakerOrder> {
  const taker = await lane.venue(mode);
  return auctionSeen(lane, mode, maker, taker.venue.authority, async () => {
    const placed = await taker.venue.placeOrder({
      market: 'SOL-PERP',
      side: 'sell',
      type: 'market',
      price: 140_000_000n,
      baseAmount: base,
    });
    if (!placed.ok) throw new Error(`taker order refused: ${placed.reason} ${placed.message}`);
  });
}

/**
 * Runs `start`, which puts a market order of `taker` (an authority, base58) on chain, and resolves
 * with the TakerOrder the maker venue's AuctionTakerSource emitted for that auction.
 */
export async function auctionSeen(
  lane: Lane,
  mode: Mode,
  maker: DriftVenue,
  taker: string,
  start: () => Promise<void>,
): Promise<TakerOrder> {
  const source = auctionSource(lane, mode, maker);
  const seen: TakerOrder[] = [];
  source.subscribe(['SOL-PERP'], (order) => seen.push(order));
  await source.ready();
  try {
    await start();
    return await eventually(
      () => seen.find((o) => o.taker === taker),
      5_000,
      'the auction taker source to emit the taker order',
    );
  } finally {
    await source.close();
  }
}

/** The project's AuctionTakerSource on a lane venue (what a live bot's `createAuctionTakerSource` makes). */
export function auctionSource(lane: Lane, mode: Mode, maker: DriftVenue): AuctionTakerSource {
  return new AuctionTakerSource({ venue: maker, params: laneParams(mode), logger: lane.logger });
}

/** A maker bid every slot of the auction crosses ($150, the oracle: the auction starts there). */
export const MAKER_BID = 150_000_000n;

/**
 * Another party takes a resting maker order: a market sell placed and matched against it in one
 * `placeAndTakePerpOrder` (built by the taker's SDK client, sent straight to the node).
 */
export async function takeMakerOrder(
  lane: Lane,
  mode: Mode,
  maker: { user: LaneUser; orderId: number },
  base: bigint,
): Promise<void> {
  const taker = await lane.venue(mode);
  const client = taker.venue.driftClient();
  const makerAccount = maker.user.userAccount();
  const makerUserAccount = (await readUser(lane.chain, makerAccount)).account;
  const order = makerUserAccount.orders.find((o) => o.orderId === maker.orderId);
  if (!order) throw new Error(`maker order ${maker.orderId} not on the account`);
  const ix = await client.getPlaceAndTakePerpOrderIx(
    getMarketOrderParams({
      marketIndex: 0,
      direction: PositionDirection.SHORT,
      baseAssetAmount: new BN(base.toString()),
      price: new BN(140_000_000),
    }),
    {
      maker: makerAccount,
      makerStats: getUserStatsAccountPublicKey(DRIFT_ID, maker.user.keypair.publicKey),
      makerUserAccount,
      order,
    },
  );
  await lane.chain.send(
    new Transaction().add(ComputeBudgetProgram.setComputeUnitLimit({ units: 1_400_000 }), ix),
    [taker.user.keypair],
  );
}
