import { describe, expect, it } from 'vitest';
import { base, flatEngine, px, SOL, usd } from '../test/helpers.js';
import { SimEngine } from './engine.js';
import { parseOracleCsv } from './oracle.js';

const sell = (price: string, size: string) =>
  ({ market: 'SOL-PERP', side: 'sell', type: 'limit', price: px(price), baseAmount: base(size) }) as const;
const buy = (price: string, size: string) =>
  ({ market: 'SOL-PERP', side: 'buy', type: 'limit', price: px(price), baseAmount: base(size) }) as const;

describe('matching', () => {
  it('fills at the maker price, best price first, then oldest first', () => {
    const engine = flatEngine();
    const late = engine.place(1, sell('150', '1'));
    const early = engine.place(3, sell('149.5', '1'));
    const sameLevelLater = engine.place(4, sell('150', '1'));
    const taker = engine.place(2, buy('151', '2.5'));
    expect(taker.ok).toBe(true);
    if (!taker.ok || !early.ok || !late.ok || !sameLevelLater.ok) throw new Error('placement failed');
    expect(taker.fills.map((f) => [f.price, f.baseAmount])).toEqual([
      [px('149.5'), base('1')],
      [px('150'), base('1')],
      [px('150'), base('0.5')],
    ]);
    expect(taker.order.status).toBe('filled');
    // The later order at 150 keeps half its size on the book.
    expect(engine.topOfBook('SOL-PERP').bestAsk).toEqual({ price: px('150'), baseAmount: base('0.5') });
    const resting = engine.openOrdersList({ subAccount: 4 })[0]!;
    expect(resting.status).toBe('partially-filled');
    expect(resting.filledBase).toBe(base('0.5'));
  });

  it('charges the taker fee and pays the maker rebate, rounded up to the unit', () => {
    const engine = flatEngine({ takerFeeRate: 350n, makerFeeRate: -20n });
    engine.place(1, sell('150.0001', '0.01'));
    const taker = engine.place(2, buy('150.0001', '0.01'));
    if (!taker.ok) throw new Error(taker.message);
    const [fill] = taker.fills;
    // 150.0001 * 0.01 = 1.500001 USDC; 3.5 bps = 525.00035 units -> 526; -0.2 bps = -30.00002 -> -30.
    expect(fill!.quoteAmount).toBe(1_500_001n);
    expect(fill!.fee).toBe(526n);
    const [makerFill] = engine.fills({ subAccount: 1 });
    expect(makerFill!.fee).toBe(-30n);
    expect(makerFill!.liquidity).toBe('maker');
    expect(engine.account(2).collateral).toBe(usd('100000') - 526n);
    expect(engine.account(1).collateral).toBe(usd('100000') + 30n);
  });

  it('rests the unfilled part of a limit order and cancels the rest of an IOC', () => {
    const engine = flatEngine();
    engine.place(1, sell('150', '1'));
    const rests = engine.place(2, buy('150', '3'));
    const ioc = engine.place(3, { ...buy('149', '1'), ioc: true });
    if (!rests.ok || !ioc.ok) throw new Error('rejected');
    expect(rests.order.status).toBe('partially-filled');
    expect(engine.topOfBook('SOL-PERP').bestBid).toEqual({ price: px('150'), baseAmount: base('2') });
    expect(ioc.order.status).toBe('cancelled');
    expect(engine.openOrdersList({ subAccount: 3 })).toEqual([]);
  });

  it('never matches a sub-account against its own resting order, nor leaves the book crossed', () => {
    const engine = flatEngine();
    engine.place(2, sell('149.9', '1'));
    engine.place(1, sell('150', '1'));
    const own = engine.place(1, buy('150', '2'));
    if (!own.ok) throw new Error(own.message);
    // Takes sub-account 2's ask, stops at its own, and the rest is cancelled instead of resting.
    expect(own.fills.map((f) => f.price)).toEqual([px('149.9')]);
    expect(own.order.status).toBe('cancelled');
    expect(engine.topOfBook('SOL-PERP')).toEqual({
      market: 'SOL-PERP',
      bestAsk: { price: px('150'), baseAmount: base('1') },
    });
  });

  it('modify: a size cut keeps time priority, a price change re-queues and may match', () => {
    const engine = flatEngine();
    const first = engine.place(1, sell('150', '2'));
    engine.place(3, sell('150', '1'));
    if (!first.ok) throw new Error('rejected');
    expect(engine.modify(first.order.orderId, { baseAmount: base('1') }).ok).toBe(true);
    const taker = engine.place(2, buy('150', '1'));
    if (!taker.ok) throw new Error('rejected');
    expect(engine.fills({ subAccount: 1 }).length).toBe(1); // still first in the queue
    const second = engine.place(1, sell('152', '1'));
    engine.place(4, buy('149', '1'));
    if (!second.ok) throw new Error('rejected');
    const moved = engine.modify(second.order.orderId, { price: px('149') });
    if (!moved.ok) throw new Error(moved.message);
    expect(moved.fills.map((f) => [f.liquidity, f.price])).toEqual([['taker', px('149')]]);
  });
});

describe('order expiry (maxTs)', () => {
  it('an order past its maxTs is never filled: it leaves the book as expired, its margin released', () => {
    const engine = flatEngine();
    const events: string[] = [];
    engine.subscribe((e) => {
      if (e.type === 'order' && e.order.subAccount === 1) events.push(e.order.status);
    });
    const t0 = engine.clock().ts;
    const quote = engine.place(1, { ...sell('150', '1'), maxTs: t0 + 1_000 });
    if (!quote.ok) throw new Error(quote.message);
    expect(quote.order.maxTs).toBe(t0 + 1_000);
    engine.advance(1_000); // at maxTs: still live (Drift expires strictly after it)
    expect(engine.openOrdersList({ subAccount: 1 })).toHaveLength(1);
    engine.advance(400);
    expect(engine.openOrdersList({ subAccount: 1 })).toEqual([]);
    expect(engine.topOfBook('SOL-PERP').bestAsk).toBeUndefined();
    const taker = engine.place(2, buy('151', '1'));
    if (!taker.ok) throw new Error(taker.message);
    expect(taker.fills).toEqual([]);
    expect(engine.fills({ subAccount: 1 })).toEqual([]);
    expect(events).toEqual(['open', 'expired']);
    const expired = engine
      .history()
      .find((h) => h.kind === 'order-updated' && h.cause === 'expire' && h.order.subAccount === 1);
    expect(expired).toMatchObject({ order: { status: 'expired', maxTs: t0 + 1_000 } });
  });

  it('a refreshed maxTs keeps the order and its place in the queue; a past one is refused as Drift does', () => {
    const engine = flatEngine();
    const t0 = engine.clock().ts;
    const first = engine.place(1, { ...sell('150', '1'), maxTs: t0 + 1_000 });
    engine.place(3, sell('150', '1'));
    if (!first.ok) throw new Error('rejected');
    engine.advance(800);
    const refreshed = engine.modify(first.order.orderId, { maxTs: t0 + 10_000 });
    expect(refreshed.ok && refreshed.order.maxTs).toBe(t0 + 10_000);
    engine.advance(2_000);
    const taker = engine.place(2, buy('150', '1'));
    if (!taker.ok) throw new Error(taker.message);
    expect(engine.fills({ subAccount: 1 })).toHaveLength(1); // still first at its level
    const now = engine.clock().ts;
    expect(engine.place(1, { ...sell('151', '1'), maxTs: now })).toMatchObject({
      ok: false,
      reason: 'order-expired',
      message: expect.stringContaining('InvalidOrderMaxTs'),
    });
    const other = engine.openOrdersList({ subAccount: 3 })[0]!;
    expect(engine.modify(other.orderId, { maxTs: now - 1 })).toMatchObject({
      ok: false,
      reason: 'order-expired',
    });
    expect(engine.openOrdersList({ subAccount: 3 })).toHaveLength(1);
  });
});

describe('positions and PnL', () => {
  it('realizes PnL on the closed part and flips at the fill price', () => {
    const engine = flatEngine();
    engine.place(9, sell('150', '2'));
    engine.place(1, buy('150', '2'));
    engine.place(9, buy('160', '1'));
    engine.place(1, sell('160', '1'));
    let [position] = engine.positions({ subAccount: 1 });
    expect(position).toMatchObject({
      baseAmount: base('1'),
      quoteEntryAmount: usd('150'),
      entryPrice: px('150'),
      realizedPnl: usd('10'),
      unrealizedPnl: 0n, // oracle 150
    });
    engine.place(9, buy('160', '3'));
    engine.place(1, sell('160', '3'));
    [position] = engine.positions({ subAccount: 1 });
    // Closes 1 more at +10, then opens a 2 short at 160.
    expect(position).toMatchObject({
      baseAmount: -base('2'),
      quoteEntryAmount: -usd('320'),
      entryPrice: px('160'),
      realizedPnl: usd('20'),
      unrealizedPnl: usd('20'), // short 2 from 160, oracle 150
    });
    const account = engine.account(1);
    expect(account.collateral).toBe(usd('100020'));
    expect(account.equity).toBe(usd('100040'));
    expect(account.grossNotional).toBe(usd('300'));
    expect(account.initialMarginRequirement).toBe(usd('30'));
    expect(account.maintenanceMarginRequirement).toBe(usd('15'));
    expect(account.leverageBps).toBe(30n); // 300 / 100040 = 0.0029988 -> 29.988 bps, rounded up
  });

  it('marks unrealized PnL to the oracle as it moves (CSV replay)', () => {
    const replay = parseOracleCsv('timestamp,price\n0,150\n1000,160\n', SOL.tickSize);
    const engine = new SimEngine({
      seed: 1,
      markets: [{ spec: SOL, startPrice: 0n, replay }],
      takerFeeRate: 0n,
      makerFeeRate: 0n,
    });
    engine.place(9, sell('150', '1'));
    engine.place(1, buy('150', '1'));
    engine.advance(1200); // three slots: the first one at or after the 1000 ms point
    expect(engine.oracle('SOL-PERP').price).toBe(px('160'));
    const account = engine.account(1);
    expect(account.unrealizedPnl).toBe(usd('10'));
    expect(account.equity).toBe(usd('100010'));
    expect(account.maintenanceMarginRequirement).toBe(usd('8'));
    expect(account.freeMargin).toBe(usd('100010') - usd('16'));
  });
});

describe('margin', () => {
  it('takes the worst case of open orders plus the new one against equity', () => {
    const engine = flatEngine({ subAccounts: { 1: usd('1000') } });
    // 10% initial margin at oracle 150: 66.66 SOL needs 999.90, 66.67 needs 1000.05.
    expect(engine.place(1, buy('140', '66.67'))).toMatchObject({ ok: false, reason: 'insufficient-margin' });
    expect(engine.place(1, buy('140', '60')).ok).toBe(true);
    expect(engine.place(1, buy('140', '6.67'))).toMatchObject({ ok: false, reason: 'insufficient-margin' });
    expect(engine.place(1, buy('140', '6.66')).ok).toBe(true);
    // A sell up to the same size does not add to the worst case.
    expect(engine.place(1, sell('160', '66.66')).ok).toBe(true);
    expect(engine.place(1, sell('160', '0.01'))).toMatchObject({ ok: false, reason: 'insufficient-margin' });
  });

  it('charges each open order $0.01, like the program, in the check and in the requirement', () => {
    // 6 SOL at oracle 150 with 10% initial margin is 90.00; the order's own charge makes it 90.01.
    const short = flatEngine({ subAccounts: { 1: usd('90') } });
    expect(short.place(1, buy('149', '6'))).toMatchObject({
      ok: false,
      reason: 'insufficient-margin',
      message: expect.stringMatching(/^InsufficientCollateral: /),
    });
    const enough = flatEngine({ subAccounts: { 1: usd('90.01') } });
    expect(enough.place(1, buy('149', '6')).ok).toBe(true);
    // Open orders count in the requirement on their worst case, as on chain (not only positions).
    expect(enough.account(1)).toMatchObject({
      initialMarginRequirement: usd('90.01'),
      maintenanceMarginRequirement: usd('45.01'),
    });
    expect(enough.freeCollateral(1)).toBe(0n);
  });

  it('leaves positive unsettled PnL out of the initial check (the program counts it at weight 0)', () => {
    const engine = flatEngine({ subAccounts: { 1: usd('100') } });
    engine.place(1, sell('160', '1'));
    engine.place(2, buy('160', '1'));
    // Short 1 from 160 at oracle 150: +10 unrealized, equity 110, but initial collateral stays 100.
    expect(engine.account(1)).toMatchObject({ equity: usd('110'), initialMarginRequirement: usd('15') });
    expect(engine.freeCollateral(1)).toBe(usd('85'));
    // 6.67 SOL short is 100.05 + 0.01: it would fit in equity, not in the program's collateral.
    expect(engine.place(1, sell('160', '5.67'))).toMatchObject({ ok: false, reason: 'insufficient-margin' });
    expect(engine.place(1, sell('160', '5.66')).ok).toBe(true);
  });
});

describe('funding', () => {
  it('fixed rate: longs pay shorts each hour, credits rounded down', () => {
    const engine = flatEngine({ funding: { mode: 'fixed', fixedRatePpb: 1_000_000n } });
    engine.place(2, sell('150', '2'));
    engine.place(1, buy('150', '2'));
    engine.advance(3_600_000);
    // 0.1% of 300 USDC = 0.3 USDC.
    expect(engine.account(1).collateral).toBe(usd('100000') - usd('0.3'));
    expect(engine.account(2).collateral).toBe(usd('100000') + usd('0.3'));
    expect(engine.positions({ subAccount: 1 })[0]!.realizedPnl).toBe(-usd('0.3'));
    const payments = engine.history().filter((e) => e.kind === 'funding');
    expect(payments).toHaveLength(2);
  });

  it('premium rate: (mid - oracle) / oracle / 24, from the TWAPs of the hour', () => {
    const engine = flatEngine({ funding: { mode: 'premium' } });
    engine.place(2, sell('150', '1'));
    engine.place(1, buy('150', '1'));
    engine.place(9, buy('151', '1')); // book mid 152 for the whole hour
    engine.place(9, sell('153', '1'));
    engine.advance(3_600_000);
    // 2 / 150 / 24 = 555555.5 ppb -> 555555; 150 USDC * 555555 ppb = 83333.25 units.
    const [long, short] = [1, 2].map(
      (sub) =>
        engine.history().find((e) => e.kind === 'funding' && e.subAccount === sub) as {
          ratePpb: bigint;
          amount: bigint;
        },
    );
    expect(long!.ratePpb).toBe(555_555n);
    expect(long!.amount).toBe(-83_334n);
    expect(short!.amount).toBe(83_333n);
  });
});

describe('JIT auctions', () => {
  it('moves the price linearly and fills makers at their price when it is at or better than the auction', () => {
    const engine = flatEngine();
    const placed = engine.place(2, {
      market: 'SOL-PERP',
      side: 'buy',
      type: 'market',
      baseAmount: base('2'),
    });
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.order.status).toBe('open');
    const [taker] = engine.activeTakerOrders('SOL-PERP');
    // Oracle 150: start -2 bps = 149.97, end +30 bps = 150.45, over 10 slots.
    expect(taker!.auction).toMatchObject({
      startPrice: px('149.97'),
      endPrice: px('150.45'),
      durationSlots: 10,
    });
    engine.advanceSlots(4); // 149.97 + 0.48 * 4/10 = 150.162
    expect(
      engine.fillTaker(taker!, { price: px('150.1621'), baseAmount: base('1'), subAccount: 1 }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid-price',
    });
    const made = engine.fillTaker(taker!, { price: px('150.162'), baseAmount: base('1'), subAccount: 1 });
    if (!made.ok) throw new Error(made.message);
    expect(made.fills[0]).toMatchObject({
      price: px('150.162'),
      baseAmount: base('1'),
      liquidity: 'maker',
      side: 'sell',
    });
    expect(engine.fills({ subAccount: 2 })[0]).toMatchObject({ price: px('150.162'), liquidity: 'taker' });
    // After the auction the remainder meets the book within the end price, then the backstop.
    engine.place(3, sell('150.3', '0.5'));
    engine.advanceSlots(6);
    expect(
      engine.fillTaker(taker!, { price: px('150'), baseAmount: base('1'), subAccount: 1 }),
    ).toMatchObject({
      ok: false,
    });
    expect(engine.fills({ subAccount: 2 }).map((f) => [f.price, f.baseAmount])).toEqual([
      [px('150.162'), base('1')],
      [px('150.3'), base('0.5')],
      [px('150.45'), base('0.5')],
    ]);
    expect(engine.positions({ subAccount: 2 })[0]!.baseAmount).toBe(base('2'));
  });

  it('with a zero-slot auction a market order settles at once against the book, then the backstop', () => {
    const engine = flatEngine({ auction: { durationSlots: 0 } });
    engine.place(1, sell('150.1', '1'));
    const placed = engine.place(2, {
      market: 'SOL-PERP',
      side: 'buy',
      type: 'market',
      baseAmount: base('3'),
    });
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.fills.map((f) => [f.price, f.baseAmount])).toEqual([
      [px('150.1'), base('1')],
      [px('150.45'), base('2')], // backstop at the end price, oracle + 30 bps
    ]);
    expect(engine.openOrdersList()).toEqual([]);
  });

  it("a market order's limit caps its auction's end, it does not replace it (the program's rule)", () => {
    const engine = flatEngine();
    const sell = (price: string) =>
      engine.place(2, {
        market: 'SOL-PERP',
        side: 'sell',
        type: 'market',
        price: px(price),
        baseAmount: base('1'),
      });
    sell('148'); // further than oracle - 30 bps: the end stays 149.55
    sell('149.9'); // tighter: the end is the limit
    expect(
      engine.activeTakerOrders('SOL-PERP').map((t) => [t.auction.startPrice, t.auction.endPrice]),
    ).toEqual([
      [px('150.03'), px('149.55')],
      [px('150.03'), px('149.9')],
    ]);
  });

  it('resting orders fill a market order as soon as they cross its auction price, as on chain', () => {
    const engine = flatEngine();
    engine.place(1, buy('150.05', '1'));
    engine.place(3, buy('149.8', '1'));
    // A seller's auction: 150.03 (oracle + 2 bps) down to 149.55 over 10 slots, 0.048 a slot.
    const placed = engine.place(2, {
      market: 'SOL-PERP',
      side: 'sell',
      type: 'market',
      baseAmount: base('2'),
    });
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.fills.map((f) => [f.price, f.baseAmount])).toEqual([[px('150.05'), base('1')]]);
    engine.advanceSlots(4); // 149.838: the bid at 149.8 does not cross yet
    expect(engine.fills({ subAccount: 2 })).toHaveLength(1);
    engine.advanceSlots(1); // 149.79
    expect(engine.fills({ subAccount: 2 }).map((f) => [f.price, f.baseAmount])).toEqual([
      [px('150.05'), base('1')],
      [px('149.8'), base('1')],
    ]);
    expect(engine.activeTakerOrders('SOL-PERP')).toEqual([]);
    expect(engine.openOrdersList({ subAccount: 2 })).toEqual([]);
  });

  it("a JIT fill counts in the maker's margin like any position", () => {
    const engine = flatEngine({ subAccounts: { 1: usd('1000') } });
    engine.place(2, { market: 'SOL-PERP', side: 'sell', type: 'market', baseAmount: base('1') });
    const [taker] = engine.activeTakerOrders('SOL-PERP');
    // A seller's auction starts at oracle + 2 bps = 150.03: the maker buys 1 there.
    expect(engine.fillTaker(taker!, { price: px('150.03'), baseAmount: base('1'), subAccount: 1 }).ok).toBe(
      true,
    );
    // Equity 999.97 (-0.03 unrealized): 65.66 more is 66.66 SOL = 999.90 of margin; 65.67 is too much.
    expect(engine.place(1, buy('140', '65.67'))).toMatchObject({ ok: false, reason: 'insufficient-margin' });
    expect(engine.place(1, buy('140', '65.66')).ok).toBe(true);
  });

  it('rejects a fill after the auction ended', () => {
    const engine = flatEngine({ auction: { backstop: false } });
    engine.place(2, { market: 'SOL-PERP', side: 'sell', type: 'market', baseAmount: base('1') });
    const [taker] = engine.activeTakerOrders('SOL-PERP');
    engine.advanceSlots(9);
    // Last slot: the price reached 149.5545 -> rounded up for a seller: 149.5545 (end 149.55 at slot 10).
    expect(engine.fillTaker(taker!, { price: px('149.6'), baseAmount: base('1'), subAccount: 1 }).ok).toBe(
      true,
    );
    engine.place(2, { market: 'SOL-PERP', side: 'sell', type: 'market', baseAmount: base('1') });
    const [second] = engine.activeTakerOrders('SOL-PERP');
    engine.advanceSlots(10);
    // As the live venue types an order past its auction; the program's error stays in the message.
    const late = engine.fillTaker(second!, { price: px('160'), baseAmount: base('1'), subAccount: 1 });
    expect(late).toMatchObject({ ok: false, reason: 'auction-ended' });
    if (!late.ok) expect(late.message).toMatch(/^OrderDoesNotExist: /);
    expect(engine.openOrdersList({ subAccount: 2 })).toEqual([]);
    expect(engine.history().some((e) => e.kind === 'order-updated' && e.order.status === 'expired')).toBe(
      true,
    );
  });
});

describe('bad orders are rejected with a typed reason and change nothing', () => {
  const cases = [
    [
      'unknown market',
      { market: 'DOGE-PERP', side: 'buy', type: 'limit', price: px('1'), baseAmount: base('1') },
      'unknown-market',
    ],
    ['zero size', { ...buy('150', '1'), baseAmount: 0n }, 'invalid-size'],
    ['negative size', { ...buy('150', '1'), baseAmount: -base('1') }, 'invalid-size'],
    ['size off step', { ...buy('150', '1'), baseAmount: base('1.005') }, 'invalid-size'],
    ['price off tick', { ...buy('150', '1'), price: 150_000_050n }, 'price-off-tick'],
    ['negative price', { ...buy('150', '1'), price: -px('1') }, 'invalid-price'],
    [
      'limit without price',
      { market: 'SOL-PERP', side: 'buy', type: 'limit', baseAmount: base('1') },
      'invalid-price',
    ],
    ['not enough margin', buy('150', '100000'), 'insufficient-margin'],
    ['reduce-only that would increase', { ...sell('151', '2'), reduceOnly: true }, 'reduce-only-increases'],
    ['post-only that would cross', { ...buy('151', '1'), postOnly: true }, 'post-only-would-cross'],
    ['duplicate client id', { ...buy('140', '1'), clientOrderId: 'a' }, 'duplicate-client-id'],
  ] as const;

  for (const [name, request, reason] of cases) {
    it(name, () => {
      const engine = flatEngine();
      engine.place(9, sell('150.5', '1'));
      engine.place(9, buy('149.5', '1'));
      engine.place(1, { ...buy('140', '1'), clientOrderId: 'a' });
      engine.place(2, sell('149.5', '1')); // sub-account 1 has no position; sub-account 2 is short 1
      const snapshot = () => ({
        accounts: [1, 2, 9].map((s) => engine.account(s)),
        orders: engine.openOrdersList(),
        book: engine.book('SOL-PERP'),
        fills: engine.fills(),
      });
      const before = snapshot();
      const result = engine.place(1, request as never);
      expect(result).toMatchObject({ ok: false, reason });
      expect(snapshot()).toEqual(before);
      expect(engine.subAccounts()).toEqual([1, 2, 9]);
      expect(engine.history().at(-1)).toMatchObject({ kind: 'order-rejected', reason, subAccount: 1 });
    });
  }

  it('a client id is free again once its order is closed', () => {
    const engine = flatEngine();
    const first = engine.place(1, { ...buy('140', '1'), clientOrderId: 'q-1' });
    expect(engine.place(1, { ...buy('141', '1'), clientOrderId: 'q-1' })).toMatchObject({
      reason: 'duplicate-client-id',
    });
    expect(engine.place(2, { ...buy('141', '1'), clientOrderId: 'q-1' }).ok).toBe(true); // other sub-account
    if (!first.ok) throw new Error('rejected');
    engine.cancel(first.order.orderId);
    expect(engine.place(1, { ...buy('141', '1'), clientOrderId: 'q-1' }).ok).toBe(true);
  });

  it('halted: refuses new orders, still cancels', () => {
    const engine = flatEngine();
    const resting = engine.place(1, buy('140', '1'));
    engine.halt('risk kill switch');
    expect(engine.place(1, buy('140', '1'))).toMatchObject({ ok: false, reason: 'halted' });
    if (!resting.ok) throw new Error('rejected');
    expect(engine.cancel(resting.order.orderId)).toBe(true);
    engine.resume();
    expect(engine.place(1, buy('140', '1')).ok).toBe(true);
  });

  it('reduce-only: allowed to shrink, capped at fill time when the position shrank meanwhile', () => {
    const engine = flatEngine();
    engine.place(9, sell('150', '2'));
    engine.place(1, buy('150', '2'));
    const a = engine.place(1, { ...sell('155', '2'), reduceOnly: true });
    const b = engine.place(1, { ...sell('156', '2'), reduceOnly: true });
    expect(a.ok && b.ok).toBe(true);
    engine.place(5, buy('160', '4'));
    // Only the 2 SOL long could be reduced: the second order is cut to nothing and cancelled.
    expect(engine.positions({ subAccount: 1 })[0]!.baseAmount).toBe(0n);
    expect(engine.openOrdersList({ subAccount: 1 })).toEqual([]);
  });
});

describe('clock', () => {
  it('advances in whole slots and carries the remainder', () => {
    const engine = flatEngine();
    engine.advance(1000);
    expect(engine.clock().slot).toBe(2);
    engine.advance(200);
    expect(engine.clock()).toEqual({ slot: 3, ts: Date.UTC(2026, 0, 1) + 1200 });
    expect(() => engine.advance(-1)).toThrow('advance: ms -1 must be >= 0');
  });

  it('runs on wall time at a speed multiplier until stopped', async () => {
    const engine = flatEngine();
    engine.startRealtime(50); // 50 venue ms per wall ms: a slot every 8 ms
    await new Promise((resolve) => setTimeout(resolve, 200));
    engine.stopRealtime();
    const { slot } = engine.clock();
    expect(slot).toBeGreaterThan(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.clock().slot).toBe(slot);
  });
});
