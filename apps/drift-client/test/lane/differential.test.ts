/**
 * The differential test of paper mode (issue #21): the same order scripts run through the
 * simulator (`runOrderScript`, configured from the lane exchange's own accounts) and through the
 * compiled Drift program (`runProgramScript`). Fills (price, size, side, liquidity), fees (taker
 * fee, maker rebate, by tier), positions (base, quote entry), margin (requirements, free
 * collateral, collateral) and refusals (reason, and the program's error name) are compared within
 * the tolerances below, which packages/sim/README.md's calibration table states. The auction price
 * is judged slot by slot: a JIT bid against the same auction in the same slot, on chain and in the
 * sim's engine.
 */
import {
  BASE_PRECISION,
  type MarketSpec,
  type OrderRequest,
  parseBase,
  parsePrice,
  parseQuote,
} from '@drift/domain';
import {
  auctionPriceAt,
  type FeeTierRates,
  runOrderScript,
  type ScriptedOrder,
  type ScriptOutcome,
  SimEngine,
  type SimEngineConfig,
} from '@drift/sim';
import type { PerpMarketAccount } from '@drift-labs/sdk';
import {
  getDriftStateAccountPublicKey,
  getPerpMarketPublicKeySync,
  getUserStatsAccountPublicKey,
  isVariant,
  type StateAccount,
} from '@drift-labs/sdk';
import { Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { offlineDriftClient } from '../../src/live.js';
import { checkOrder, toOrderParams } from '../../src/order-params.js';
import { makerOrderParams } from '../../src/taker-fill.js';
import { DRIFT_ID } from './bankrun-chain.js';
import { readUser } from './chain-user.js';
import { SOL_PERP } from './exchange.js';
import { describeLane, type Lane } from './lane.js';
import { actionsOf, type ProgramOutcome, runProgramScript } from './program-script.js';

/** Fills, fees and positions: exact (both are integer arithmetic on the same inputs). */
const EXACT = 0n;
/** Margin figures: one unit of QUOTE_PRECISION (the sim rounds a requirement up, the program down). */
const MARGIN_TOLERANCE = 1n;
/**
 * A market order's auction on the lane's new market, as the program derives it from its AMM (at
 * the oracle, no history): it starts at the oracle and ends 50 bps away over 10 slots. On mainnet
 * the offsets follow each market's AMM; the sim takes them as configuration.
 */
const LANE_AUCTION = { startOffsetBps: 0, endOffsetBps: 50, durationSlots: 10 };

const M = SOL_PERP.symbol;
const usd = parseQuote;
const limit = (side: 'buy' | 'sell', price: string, size: string, extra: object = {}) =>
  ({
    market: M,
    side,
    type: 'limit',
    price: parsePrice(price),
    baseAmount: parseBase(size),
    ...extra,
  }) as const;
const postOnly = (side: 'buy' | 'sell', price: string, size: string) =>
  limit(side, price, size, { postOnly: true });
const ioc = (side: 'buy' | 'sell', price: string, size: string) => limit(side, price, size, { ioc: true });

describeLane('differential test: the simulator against the program', (lane) => {
  it('post-only makers filled by an IOC taker: fills, fees on both sides, positions, margin', async () => {
    const collateral = { 1: usd('10000'), 2: usd('10000'), 3: usd('10000') };
    const { sim, program } = await runBoth(lane(), collateral, [
      { slot: 0, subAccount: 1, order: postOnly('sell', '150.01', '2') },
      { slot: 1, subAccount: 2, order: postOnly('sell', '150.02', '1') },
      { slot: 2, subAccount: 3, order: ioc('buy', '150.05', '2.5') },
      { slot: 3, subAccount: 1, order: postOnly('buy', '149.9', '1') },
    ]);
    expect(program.results).toEqual([ok(), ok(), ok(), ok()]);
    compare(sim, program);
    // What was compared, in figures: 10 bps taker fee rounded up, 2 bps rebate rounded down.
    expect(programFills(program)).toContainEqual([
      3,
      'taker',
      'buy',
      parsePrice('150.01'),
      parseBase('2'),
      usd('300.02'),
      300_020n,
    ]);
    expect(programFills(program)).toContainEqual([
      1,
      'maker',
      'sell',
      parsePrice('150.01'),
      parseBase('2'),
      usd('300.02'),
      -60_004n,
    ]);
  });

  it('refusals by name: too small, post-only that would cross, oversized for margin (and just fitting)', async () => {
    // 3 SOL at oracle 150, 20% initial margin: 90.00, plus the program's $0.01 per open order.
    const collateral = { 7: usd('10000'), 8: usd('90'), 9: usd('90.01'), 13: usd('10000') };
    const { sim, program } = await runBoth(lane(), collateral, [
      { slot: 0, subAccount: 7, order: limit('buy', '149', '0.005') },
      // The program judges post-only against its AMM's quote (it does not see the off-chain book),
      // the sim against its book: this bid crosses both the ask at 150.02 and the AMM's ask.
      { slot: 1, subAccount: 13, order: postOnly('sell', '150.02', '1') },
      { slot: 1, subAccount: 7, order: postOnly('buy', '150.05', '1') },
      { slot: 2, subAccount: 8, order: limit('buy', '149', '3') },
      { slot: 3, subAccount: 9, order: limit('buy', '149', '3') },
    ]);
    expect(program.results).toEqual([
      refused('OrderAmountTooSmall', 'invalid-size'),
      ok(),
      refused('PlacePostOnlyLimitFailure', 'post-only-would-cross'),
      refused('InsufficientCollateral', 'insufficient-margin'),
      ok(),
    ]);
    compare(sim, program);
  });

  it('off the step or the tick: the program rounds, the live venue and the sim refuse alike', async () => {
    const spec = (await laneConfig(lane(), {})).spec;
    const script: ScriptedOrder[] = [
      { slot: 0, subAccount: 10, order: limit('buy', '149', '0.015') },
      { slot: 1, subAccount: 10, order: { ...limit('buy', '149', '1'), price: 149_000_050n } },
      { slot: 2, subAccount: 10, order: { ...limit('sell', '150.5', '1'), price: 150_500_050n } },
    ];
    const program = await runProgramScript(lane(), spec, { 10: usd('10000') }, script);
    // The program takes them, rounded: size down to the step, price to the tick away from the book.
    expect(program.results).toEqual([ok(), ok(), ok()]);
    expect(program.openOrders.map((o) => [o.side, o.price, o.baseAmount])).toEqual([
      ['buy', parsePrice('149'), parseBase('0.01')],
      ['buy', parsePrice('149'), parseBase('1')],
      ['sell', parsePrice('150.5001'), parseBase('1')],
    ]);
    // DriftVenue refuses them before sending (an order is never silently changed): so does the sim.
    const { config } = await laneConfig(lane(), { 10: usd('10000') });
    const sim = runOrderScript(config, script);
    const venue = script.map((s) => checkOrder(spec, s.order));
    expect(sim.results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'invalid-size',
      'price-off-tick',
      'price-off-tick',
    ]);
    expect(venue.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(
      sim.results.map((r) => (r.ok ? 'ok' : r.reason)),
    );
  });

  it('fee tiers: past $1M of 30-day volume both sides pay the next tier', async () => {
    const collateral = { 11: usd('400000'), 12: usd('400000') };
    const { sim, program } = await runBoth(lane(), collateral, [
      // 7000 SOL at 150.01 = $1,050,070: both users pass the $1M threshold.
      { slot: 0, subAccount: 11, order: postOnly('sell', '150.01', '7000') },
      { slot: 1, subAccount: 12, order: ioc('buy', '150.01', '7000') },
      { slot: 2, subAccount: 11, order: postOnly('sell', '150.01', '10') },
      { slot: 3, subAccount: 12, order: ioc('buy', '150.01', '10') },
    ]);
    expect(program.results).toEqual([ok(), ok(), ok(), ok()]);
    compare(sim, program);
    const { config } = await laneConfig(lane(), collateral);
    const [tier1, tier2] = config.feeTiers ?? [];
    expect(tier2?.taker).not.toBe(tier1?.taker); // the test would not tell the tiers apart otherwise
    // $1,500.10: the second fill is charged at tier 2's rate.
    const second = programFills(program).filter((f) => f[4] === parseBase('10'));
    expect(second.map((f) => [f[1], f[6]])).toEqual([
      ['maker', ceilDiv(usd('1500.1') * tier2!.maker, 1_000_000n)],
      ['taker', ceilDiv(usd('1500.1') * tier2!.taker, 1_000_000n)],
    ]);
  });
});

// Its own lane: a market order's auction follows the AMM's state, which earlier fills move.
describeLane('differential test: a market order on a new market', (lane) => {
  it('a market order meets the resting bids that cross its auction price; its auction has the same terms', async () => {
    const collateral = { 4: usd('10000'), 5: usd('10000'), 6: usd('10000') };
    const { sim, program } = await runBoth(lane(), collateral, [
      { slot: 0, subAccount: 4, order: postOnly('buy', '150', '1') },
      { slot: 1, subAccount: 5, order: postOnly('buy', '149.99', '0.5') },
      {
        slot: 2,
        subAccount: 6,
        order: {
          market: M,
          side: 'sell',
          type: 'market',
          price: parsePrice('148'),
          baseAmount: parseBase('2'),
        },
      },
    ]);
    expect(program.results).toEqual([ok(), ok(), ok()]);
    compare(sim, program);
    // The auction starts at the oracle (150): a keeper fills the bid at 150 in that slot, not 149.99.
    expect(programFills(program).map((f) => [f[0], f[3], f[4]])).toEqual([
      [4, parsePrice('150'), parseBase('1')],
      [6, parsePrice('150'), parseBase('1')],
    ]);
    // The rest waits in its auction: 150 down to 149.25 (the limit 148 is further), 10 slots.
    const [onChain] = program.openOrders.filter((o) => o.subAccount === 6);
    const [inSim] = sim.auctions;
    expect([inSim?.auction.startPrice, inSim?.auction.endPrice, inSim?.auction.durationSlots]).toEqual([
      onChain?.auctionStartPrice,
      onChain?.auctionEndPrice,
      onChain?.auctionDuration,
    ]);
    expect(onChain).toMatchObject({
      auctionStartPrice: parsePrice('150'),
      auctionEndPrice: parsePrice('149.25'),
    });
  });
});

// Its own lane: the auction's terms follow the AMM's state, which earlier fills move.
describeLane('differential test: the auction price, slot by slot', (lane) => {
  it('a JIT bid fills an on-chain auction in every slot of it at the same price as in the sim; a tick worse fills in neither', async () => {
    const l = lane();
    const { spec, config } = await laneConfig(l, { 1: usd('10000'), 2: usd('10000') });
    // Its limit sets the end price off the 0.50% offset so that the per-slot move is not a whole
    // number of ticks: every slot's price is rounded (up, for a sell).
    const sell = {
      market: M,
      side: 'sell',
      type: 'market',
      price: parsePrice('149.2513'),
      baseAmount: parseBase('2'),
    } as const;
    const chainFill = await onChainAuction(l, spec, sell);
    const engine = new SimEngine(config);
    expect(engine.place(1, sell).ok).toBe(true);
    const [inSim] = engine.activeTakerOrders(M);
    if (!inSim) throw new Error('the sim started no auction');
    const simFill = (price: bigint): bigint | 'none' => {
      const r = engine.fillTaker(inSim, { subAccount: 2, price, baseAmount: parseBase('0.1') });
      return r.ok ? (r.fills[0]?.price ?? 'none') : 'none';
    };
    const terms = { ...inSim.auction, side: inSim.side };
    expect([terms.startPrice, terms.endPrice, terms.durationSlots]).toEqual(chainFill.terms);
    const program: Row[] = [];
    const sim: Row[] = [];
    for (let k = 1; k < terms.durationSlots; k++) {
      const price = auctionPriceAt(terms, terms.startSlot + k, spec.tickSize);
      const worse = price - spec.tickSize;
      program.push([k, price, await chainFill.at(k, price), await chainFill.at(k, worse)]);
      engine.advanceSlots(terms.startSlot + k - engine.clock().slot);
      const refused = simFill(worse); // a refusal changes nothing; the fill then takes 0.1 of 2 SOL
      sim.push([k, price, simFill(price), refused]);
    }
    // Exact: in every slot both fill the bid at the auction price and neither one tick below it.
    expect(program).toEqual(program.map(([k, price]) => [k, price, price, 'none']));
    expect(sim).toEqual(program);
    expect(new Set(program.map((r) => r[1])).size).toBe(program.length); // the price moves each slot
  });
});

/**
 * `order` placed on chain as DriftVenue sends a market order, and a probe of its auction: the price
 * a 0.1 SOL JIT bid at `price` (DriftVenue's place-and-make maker order) fills at, `k` slots after
 * the order's, simulated in the bank so that the auction is left whole for the next probe.
 */
async function onChainAuction(
  lane: Lane,
  spec: MarketSpec,
  order: OrderRequest,
): Promise<{ terms: Row; at(k: number, price: bigint): Promise<bigint | 'none'> }> {
  const taker = await lane.venue('websocket', { usdc: usd('10000') });
  const maker = await lane.venue('websocket', { usdc: usd('10000') });
  const place = await taker.venue.driftClient().getPlacePerpOrderIx(toOrderParams(spec, order, 0));
  await lane.chain.send(new Transaction().add(place), [taker.user.keypair]);
  const takerUserAccount = (await readUser(lane.chain, taker.user.userAccount())).account;
  const onChain = takerUserAccount.orders.find((o) => isVariant(o.status, 'open'));
  if (!onChain) throw new Error('the taker order is not on the account');
  const takerInfo = {
    taker: taker.user.userAccount(),
    takerStats: getUserStatsAccountPublicKey(DRIFT_ID, taker.user.keypair.publicKey),
    takerUserAccount,
    order: onChain,
  };
  const client = maker.venue.driftClient();
  return {
    terms: [
      BigInt(onChain.auctionStartPrice.toString()),
      BigInt(onChain.auctionEndPrice.toString()),
      onChain.auctionDuration,
    ],
    async at(k, price) {
      while ((await lane.chain.clockSlot()) < onChain.slot.toNumber() + k) lane.chain.tick();
      const params = makerOrderParams(spec, order.side, { price, baseAmount: parseBase('0.1') }, 1);
      const tx = new Transaction().add(await client.getPlaceAndMakePerpOrderIx(params, takerInfo));
      tx.recentBlockhash = await lane.chain.rpc.latestBlockhash?.();
      tx.feePayer = maker.user.keypair.publicKey;
      tx.sign(maker.user.keypair);
      const result = await lane.chain.banks.simulateTransaction(tx);
      const [fill] = actionsOf(client, result.meta?.logMessages ?? []);
      if (result.result !== null || !fill?.baseAssetAmountFilled || !fill.quoteAssetAmountFilled)
        return 'none';
      const base = BigInt(fill.baseAssetAmountFilled.toString());
      return (BigInt(fill.quoteAssetAmountFilled.toString()) * BASE_PRECISION) / base;
    },
  };
}

type Row = (string | number | bigint)[];

async function runBoth(
  lane: Lane,
  collateral: Record<number, bigint>,
  script: ScriptedOrder[],
): Promise<{ sim: ScriptOutcome; program: ProgramOutcome }> {
  const { spec, config } = await laneConfig(lane, collateral);
  const program = await runProgramScript(lane, spec, collateral, script);
  const sim = runOrderScript(config, script);
  return { sim, program };
}

/** Compares everything both sides report, within the stated tolerances. */
function compare(sim: ScriptOutcome, program: ProgramOutcome): void {
  // Refusals: the same reason, and the sim's message starts with the program's error name.
  expect(sim.results.map((r) => (r.ok ? ok() : { ok: false, reason: r.reason }))).toEqual(
    program.results.map((r) => (r.ok ? ok() : { ok: false, reason: r.reason })),
  );
  for (const [i, r] of program.results.entries()) {
    const s = sim.results[i];
    if (!r.ok && s && !s.ok)
      expect(s.message.startsWith(`${r.error}: `), `${s.message} vs ${r.error}`).toBe(true);
  }
  expect(within(simFills(sim), programFills(program), EXACT)).toEqual(programFills(program));
  expect(within(simPositions(sim), programPositions(program), EXACT)).toEqual(programPositions(program));
  expect(within(simAccounts(sim), programAccounts(program), MARGIN_TOLERANCE)).toEqual(
    programAccounts(program),
  );
}

const byKey = (a: Row, b: Row) => String(a.slice(0, 4)).localeCompare(String(b.slice(0, 4)));

function simFills(o: ScriptOutcome): Row[] {
  return o.fills
    .map((f) => [f.subAccount, f.liquidity, f.side, f.price, f.baseAmount, f.quoteAmount, f.fee])
    .sort(byKey);
}
function programFills(o: ProgramOutcome): Row[] {
  return o.fills
    .map((f) => [f.subAccount, f.liquidity, f.side, f.price, f.baseAmount, f.quoteAmount, f.fee])
    .sort(byKey);
}
/** Open positions; the sim's quote entry has the position's sign, the program's the cash flow's. */
function simPositions(o: ScriptOutcome): Row[] {
  return o.positions
    .filter((p) => p.baseAmount !== 0n)
    .map((p) => [p.subAccount, p.baseAmount, -p.quoteEntryAmount]);
}
function programPositions(o: ProgramOutcome): Row[] {
  return o.positions
    .filter((p) => p.baseAmount !== 0n)
    .map((p) => [p.subAccount, p.baseAmount, p.quoteEntryAmount]);
}
function simAccounts(o: ScriptOutcome): Row[] {
  return o.accounts.map((a) => [
    a.subAccount,
    a.initialMarginRequirement,
    a.maintenanceMarginRequirement,
    a.freeCollateral,
    a.freeCollateral + a.initialMarginRequirement,
    a.equity,
  ]);
}
function programAccounts(o: ProgramOutcome): Row[] {
  return o.accounts.map((a) => [
    a.subAccount,
    a.initialMarginRequirement,
    a.maintenanceMarginRequirement,
    a.freeCollateral,
    a.totalCollateral,
    a.maintenanceCollateral,
  ]);
}

/**
 * `actual` with every bigint within `tolerance` of the expected one replaced by the expected value,
 * so that `toEqual(expected)` passes within the tolerance and otherwise shows the real difference.
 */
function within(actual: Row[], expected: Row[], tolerance: bigint): Row[] {
  return actual.map((row, i) =>
    row.map((v, j) => {
      const e = expected[i]?.[j];
      if (typeof v === 'bigint' && typeof e === 'bigint' && (v > e ? v - e : e - v) <= tolerance) return e;
      return v;
    }),
  );
}

function ok() {
  return { ok: true };
}
function refused(error: string, reason: string) {
  return { ok: false, error, reason };
}
function ceilDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? (a + b - 1n) / b : -(-a / b);
}

/**
 * The sim's configuration read from the lane exchange's accounts: the market's tick, step, minimum
 * size and margin ratios (PerpMarket), the fee tiers (State's perp fee structure), the oracle.
 */
async function laneConfig(
  lane: Lane,
  subAccounts: Record<number, bigint>,
): Promise<{ spec: MarketSpec; config: SimEngineConfig }> {
  const coder = offlineDriftClient('devnet').program.coder;
  const read = async <T>(name: string, address: Parameters<Lane['chain']['account']>[0]): Promise<T> => {
    const bytes = await lane.chain.account(address);
    if (!bytes) throw new Error(`no ${name} account on the lane`);
    return coder.accounts.decode<T>(name, Buffer.from(bytes.data));
  };
  const market = await read<PerpMarketAccount>(
    'PerpMarket',
    getPerpMarketPublicKeySync(DRIFT_ID, SOL_PERP.marketIndex),
  );
  const state = await read<StateAccount>('State', await getDriftStateAccountPublicKey(DRIFT_ID));
  const spec: MarketSpec = {
    symbol: M,
    marketIndex: SOL_PERP.marketIndex,
    tickSize: BigInt(market.amm.orderTickSize.toString()),
    stepSize: BigInt(market.amm.orderStepSize.toString()),
    minOrderSize: BigInt(market.amm.minOrderSize.toString()),
    initialMarginBps: market.marginRatioInitial, // MARGIN_PRECISION is 1e4: bps
    maintenanceMarginBps: market.marginRatioMaintenance,
  };
  const feeTiers: FeeTierRates[] = state.perpFeeStructure.feeTiers.slice(0, 6).map((t) => ({
    taker: ppm(t.feeNumerator, t.feeDenominator),
    maker: -ppm(t.makerRebateNumerator, t.makerRebateDenominator),
  }));
  return {
    spec,
    config: {
      seed: 1,
      markets: [{ spec, startPrice: SOL_PERP.price, volatilityBps: 0 }],
      subAccounts,
      feeTiers,
      auction: { ...LANE_AUCTION, backstop: true },
    },
  };
}

/** A program fee fraction as the sim's millionths of notional (exact for Drift's tiers). */
function ppm(numerator: number, denominator: number): bigint {
  const value = (BigInt(numerator) * 1_000_000n) / BigInt(denominator);
  if (value * BigInt(denominator) !== BigInt(numerator) * 1_000_000n)
    throw new Error(`fee ${numerator}/${denominator} is not a whole number of millionths`);
  return value;
}

describe('within (the tolerance of the comparison)', () => {
  it('accepts a difference up to the tolerance and shows a larger one', () => {
    expect(within([[1, 100n]], [[1, 101n]], 1n)).toEqual([[1, 101n]]);
    expect(within([[1, 100n]], [[1, 102n]], 1n)).toEqual([[1, 100n]]);
  });
});
