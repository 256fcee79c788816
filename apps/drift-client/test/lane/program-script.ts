/**
 * The real-program side of the differential test: the simulator's order script (`runOrderScript`'s
 * list) run through the compiled Drift program. Each scripted sub-account is its own lane user
 * (its own authority, so its own UserStats and fee tier). A resting order is `placePerpOrder`; an
 * IOC limit is `placeAndTakePerpOrder` against every resting order of the other users (taken at
 * once up to its limit, as the simulator does); a market order is `placePerpOrder`, as DriftVenue
 * sends it, with a keeper's `fillPerpOrder` against those orders in the same slot (the book meets
 * its auction price at that slot). The order params are the venue's own mapping (`toOrderParams`)
 * without its client-side checks: the program judges.
 */
import {
  BASE_PRECISION,
  type MarketSpec,
  type RejectReason,
  rejectReasonFrom,
  type Side,
} from '@drift/domain';
import { errorMessage } from '@drift/logging';
import type { ScriptedOrder } from '@drift/sim';
import {
  BN,
  type DriftClient,
  getUserStatsAccountPublicKey,
  isVariant,
  type MakerInfo,
  type OrderActionRecord,
  parseLogs,
  type User,
} from '@drift-labs/sdk';
import { ComputeBudgetProgram, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { withLenientEvents } from '../../src/event-coder.js';
import { toOrderParams } from '../../src/order-params.js';
import { DRIFT_ID } from './bankrun-chain.js';
import { readUser } from './chain-user.js';
import type { LaneUser } from './exchange.js';
import type { Lane } from './lane.js';

export type ProgramResult =
  | { ok: true }
  /** `error` is the program's error name from the failed transaction's logs. */
  | { ok: false; error: string; reason: RejectReason };

export interface ProgramFill {
  subAccount: number;
  liquidity: 'maker' | 'taker';
  side: Side;
  price: bigint;
  baseAmount: bigint;
  quoteAmount: bigint;
  /** Paid > 0, rebate < 0 (QUOTE_PRECISION). */
  fee: bigint;
}

export interface ProgramPosition {
  subAccount: number;
  baseAmount: bigint;
  quoteEntryAmount: bigint;
}

export interface ProgramAccount {
  subAccount: number;
  /** The SDK's figures over the account as the program left it (the program has no view call). */
  /** Collateral as the initial margin check counts it (positive unsettled PnL at weight 0). */
  totalCollateral: bigint;
  /** Collateral with unsettled PnL at full weight (the maintenance view: the sim's equity). */
  maintenanceCollateral: bigint;
  initialMarginRequirement: bigint;
  maintenanceMarginRequirement: bigint;
  freeCollateral: bigint;
}

/** An order left open on chain, as the program stored it. */
export interface ProgramOrder {
  subAccount: number;
  side: Side;
  price: bigint;
  baseAmount: bigint;
  auctionStartPrice: bigint;
  auctionEndPrice: bigint;
  auctionDuration: number;
}

export interface ProgramOutcome {
  results: ProgramResult[];
  openOrders: ProgramOrder[];
  fills: ProgramFill[];
  positions: ProgramPosition[];
  accounts: ProgramAccount[];
}

interface Trader {
  user: LaneUser;
  client: DriftClient;
}

export async function runProgramScript(
  lane: Lane,
  spec: MarketSpec,
  collateral: Record<number, bigint>,
  script: readonly ScriptedOrder[],
): Promise<ProgramOutcome> {
  const traders = new Map<number, Trader>();
  for (const sub of new Set(script.map((s) => s.subAccount))) {
    const usdc = collateral[sub];
    if (usdc === undefined)
      throw new Error(`collateral[${sub}]: no collateral for scripted sub-account ${sub}`);
    const { venue, user } = await lane.venue('websocket', { usdc });
    traders.set(sub, { user, client: venue.driftClient() });
  }
  const userOf = new Map([...traders].map(([sub, t]) => [t.user.userAccount().toBase58(), sub]));
  const keeper = await lane.venue('websocket');
  const filler = { user: keeper.user, client: keeper.venue.driftClient() };
  const results: ProgramResult[] = [];
  const fills: ProgramFill[] = [];
  for (const [i, step] of script.entries()) {
    const trader = traders.get(step.subAccount);
    if (!trader) throw new Error(`script[${i}]: no trader`);
    await trader.client.getUser().fetchAccounts();
    const params = toOrderParams(spec, step.order, 0);
    const makers = () => makersFor(lane, traders, step.subAccount);
    let sent: Sent;
    if (step.order.type === 'market') {
      const account = trader.client.getUserAccount();
      if (!account) throw new Error(`script[${i}]: the trader's account is not loaded`);
      const place = await trader.client.getPlacePerpOrderIx(params);
      const fill = await filler.client.getFillPerpOrderIx(
        trader.user.userAccount(),
        account,
        { orderId: account.nextOrderId, marketIndex: spec.marketIndex },
        await makers(),
      );
      sent = await send(lane, [place, fill], [trader, filler]);
    } else if (step.order.ioc) {
      sent = await send(
        lane,
        [await trader.client.getPlaceAndTakePerpOrderIx(params, await makers())],
        [trader],
      );
    } else {
      sent = await send(lane, [await trader.client.getPlacePerpOrderIx(params)], [trader]);
    }
    if (!sent.ok) {
      results.push(sent);
      continue;
    }
    results.push({ ok: true });
    for (const action of actionsOf(trader.client, sent.logs)) fills.push(...fillsOf(action, userOf));
  }
  const positions: ProgramPosition[] = [];
  const accounts: ProgramAccount[] = [];
  const openOrders: ProgramOrder[] = [];
  for (const [sub, trader] of [...traders].sort(([a], [b]) => a - b)) {
    const user: User = trader.client.getUser();
    await user.fetchAccounts();
    for (const o of user.getUserAccount().orders.filter((o) => isVariant(o.status, 'open'))) {
      openOrders.push({
        subAccount: sub,
        side: isVariant(o.direction, 'long') ? 'buy' : 'sell',
        price: big(o.price),
        baseAmount: big(o.baseAssetAmount),
        auctionStartPrice: big(o.auctionStartPrice),
        auctionEndPrice: big(o.auctionEndPrice),
        auctionDuration: o.auctionDuration,
      });
    }
    const perp = user.getUserAccount().perpPositions.find((p) => p.marketIndex === spec.marketIndex);
    if (perp && !(perp.baseAssetAmount.isZero() && perp.quoteAssetAmount.isZero())) {
      positions.push({
        subAccount: sub,
        baseAmount: big(perp.baseAssetAmount),
        quoteEntryAmount: big(perp.quoteEntryAmount),
      });
    }
    accounts.push({
      subAccount: sub,
      totalCollateral: big(user.getTotalCollateral('Initial')),
      maintenanceCollateral: big(user.getTotalCollateral('Maintenance')),
      initialMarginRequirement: big(user.getInitialMarginRequirement()),
      maintenanceMarginRequirement: big(user.getMaintenanceMarginRequirement()),
      freeCollateral: big(user.getFreeCollateral()),
    });
  }
  return { results, openOrders, fills, positions, accounts };
}

/**
 * Every other trader with an open order, as the maker list of a place-and-take or a keeper's fill
 * (the program matches all of a maker's open orders in the market, not only the one named).
 */
async function makersFor(lane: Lane, traders: Map<number, Trader>, takerSub: number): Promise<MakerInfo[]> {
  const makers: MakerInfo[] = [];
  for (const [sub, trader] of traders) {
    if (sub === takerSub) continue;
    const maker = trader.user.userAccount();
    const account = (await readUser(lane.chain, maker)).account;
    const order = account.orders.find((o) => isVariant(o.status, 'open'));
    if (!order) continue;
    makers.push({
      maker,
      makerStats: getUserStatsAccountPublicKey(DRIFT_ID, trader.user.keypair.publicKey),
      makerUserAccount: account,
      order,
    });
  }
  return makers;
}

type Sent = { ok: true; logs: string[] } | { ok: false; error: string; reason: RejectReason };

async function send(lane: Lane, ixs: TransactionInstruction[], signers: Trader[]): Promise<Sent> {
  const tx = new Transaction().add(ComputeBudgetProgram.setComputeUnitLimit({ units: 1_400_000 }), ...ixs);
  try {
    const landed = await lane.chain.send(
      tx,
      signers.map((t) => t.user.keypair),
    );
    return { ok: true, logs: landed.outcome.logs };
  } catch (err) {
    const text = errorMessage(err);
    const error = /Error Code: (\w+)/.exec(text)?.[1] ?? text;
    return { ok: false, error, reason: rejectReasonFrom(error) };
  }
}

/** The fill records in a transaction's logs. */
export function actionsOf(client: DriftClient, logs: string[]): OrderActionRecord[] {
  return parseLogs(withLenientEvents(client.program), logs)
    .filter((e) => e.name === 'OrderActionRecord')
    .map((e) => e.data as unknown as OrderActionRecord)
    .filter((a) => isVariant(a.action, 'fill'));
}

/** A fill record as the taker's and the maker's fills (a side that is not a scripted user is dropped). */
function fillsOf(a: OrderActionRecord, userOf: Map<string, number>): ProgramFill[] {
  const base = big(a.baseAssetAmountFilled ?? new BN(0));
  const quote = big(a.quoteAssetAmountFilled ?? new BN(0));
  const price = base === 0n ? 0n : (quote * BASE_PRECISION) / base;
  const sides = [
    ['taker', a.taker, a.takerOrderDirection, a.takerFee],
    ['maker', a.maker, a.makerOrderDirection, a.makerFee],
  ] as const;
  const out: ProgramFill[] = [];
  for (const [liquidity, user, direction, fee] of sides) {
    const subAccount = user ? userOf.get(user.toBase58()) : undefined;
    if (subAccount === undefined || !direction) continue;
    const side = isVariant(direction, 'long') ? 'buy' : 'sell';
    out.push({
      subAccount,
      liquidity,
      side,
      price,
      baseAmount: base,
      quoteAmount: quote,
      fee: big(fee ?? new BN(0)),
    });
  }
  return out;
}

function big(v: BN): bigint {
  return BigInt(v.toString());
}
