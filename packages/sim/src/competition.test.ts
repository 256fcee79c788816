import { type PlaceResult, rejectReasonFrom, type TakerOrder } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { base, flatEngine, px, SOL, usd } from '../test/helpers.js';
import { auctionPriceAt } from './auction.js';
import type { RivalMaker } from './competition.js';
import type { SimEngineConfig } from './config.js';
import { SimEngine } from './engine.js';
import { serializeHistory } from './history.js';
import { parseOracleCsv } from './oracle.js';

/** One rival that always bids: 3 bps over the oracle, landing 100 ms after the slot that pays it. */
const RIVAL: RivalMaker = {
  name: 'r1',
  participation: 1,
  edgeBps: { min: 3, max: 3 },
  latencyMs: { min: 100, max: 100 },
  maxShare: 1,
};

/**
 * A sub-account's market buy of 1 SOL at oracle 150 opens a 10-slot auction from 149.97 (-2 bps) to
 * 150.45 (+30 bps): 0.048 a slot. The rival's 150.045 is paid from slot 2 (150.066); it lands at
 * 900 ms. Our fills land 150 ms (the landing delay) + decision time after the slot they are sent in.
 */
function raced(competition: SimEngineConfig['competition'] = { rivals: [RIVAL], landingDelayMs: 150 }) {
  const engine = flatEngine({ competition });
  const placed = engine.place(5, { market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: base('1') });
  if (!placed.ok) throw new Error(placed.message);
  const [taker] = engine.activeTakerOrders('SOL-PERP');
  return { engine, taker: taker! };
}

const fill = (engine: SimEngine, taker: TakerOrder, price: string, decisionUs = 0): PlaceResult =>
  engine.fillTaker(taker, { price: px(price), baseAmount: base('1'), subAccount: 1, decisionUs });

describe('rival makers', () => {
  it('a maker that lands before the rival fills the auction; the rival then finds nothing', () => {
    const { engine, taker } = raced();
    engine.advanceSlots(1);
    const result = fill(engine, taker, '150.018'); // slot 1's price; lands at 550 ms
    expect(result.ok).toBe(true);
    engine.advanceSlots(12);
    expect(engine.history().filter((e) => e.kind === 'rival-fill')).toEqual([]);
    expect(engine.fills({ subAccount: 5 }).map((f) => f.price)).toEqual([px('150.018')]);
  });

  it('a maker that lands after the rival is refused by the program error, typed as live', () => {
    const { engine, taker } = raced();
    engine.advanceSlots(2);
    const result = fill(engine, taker, '150.066'); // slot 2's price, lands at 950 ms: the rival at 900
    // An order filled by another maker is gone: the live venue types the program's error by the table.
    expect(result).toMatchObject({ ok: false, reason: rejectReasonFrom('OrderDoesNotExist') });
    expect(result).toMatchObject({ reason: 'order-not-found' });
    if (result.ok) return;
    expect(result.message).toMatch(/^OrderDoesNotExist: .*already filled \(last by rival:r1\)/);
    // The taker was filled by the rival, at the auction's price of the rival's landing slot.
    const rivalFills = engine.history().filter((e) => e.kind === 'fill' && e.counterparty === 'rival:r1');
    expect(rivalFills).toHaveLength(1);
    expect(engine.fills({ subAccount: 5 }).map((f) => [f.price, f.baseAmount])).toEqual([
      [px('150.066'), base('1')],
    ]);
    expect(engine.positions({ subAccount: 1 })).toEqual([]);
  });

  it('a faster decision wins the same slot: decision time is part of the race', () => {
    const { engine, taker } = raced({ rivals: [RIVAL], landingDelayMs: 0 });
    engine.advanceSlots(2);
    expect(fill(engine, taker, '150.066', 50_000).ok).toBe(true); // lands at 850 ms
    const slow = raced({ rivals: [RIVAL], landingDelayMs: 0 });
    slow.engine.advanceSlots(2);
    expect(fill(slow.engine, slow.taker, '150.066', 150_000)).toMatchObject({ ok: false }); // 950 ms
  });

  it('a fill landing after the auction ended is too late: auction-ended, as the live venue says', () => {
    const { engine, taker } = raced({ rivals: [], landingDelayMs: 150 });
    engine.advanceSlots(9); // sent in the last slot; 3600 + 300 + 150 ms lands in slot 10
    const result = fill(engine, taker, '150.45', 300_000);
    expect(result).toMatchObject({ ok: false, reason: 'auction-ended' });
    if (!result.ok)
      expect(result.message).toMatch(/^OrderDoesNotExist: .*lands at slot 10, after the auction .* ended/);
  });

  it('an on-chain auction that ran out is auction-ended; a cancelled order is order-not-found', () => {
    const { engine, taker } = raced({ rivals: [], landingDelayMs: 0 });
    engine.advanceSlots(10); // the auction ended; its remainder went to the backstop
    const late = fill(engine, taker, '150.45');
    expect(late).toMatchObject({ ok: false, reason: 'auction-ended' });
    if (!late.ok) expect(late.message).toMatch(/^OrderDoesNotExist: the auction of .* ended at slot 10/);

    const cancelled = raced({ rivals: [], landingDelayMs: 0 });
    expect(cancelled.engine.cancelAll({ subAccount: 5 })).toBe(1);
    const gone = fill(cancelled.engine, cancelled.taker, '150.018');
    expect(gone).toMatchObject({ ok: false, reason: 'order-not-found' });
    if (!gone.ok) expect(gone.message).toMatch(/^OrderDoesNotExist: no live auction/);
  });

  it('a price that no longer crosses the auction at landing is AuctionPriceDoesNotSatisfyMaker', () => {
    const { engine, taker } = raced({ rivals: [], landingDelayMs: 150 });
    engine.advanceSlots(1);
    const result = fill(engine, taker, '150.114'); // slot 3's price, sent in slot 1
    expect(result).toMatchObject({ ok: false, reason: 'invalid-price' });
    if (!result.ok) expect(result.message).toMatch(/^AuctionPriceDoesNotSatisfyMaker: /);
  });

  it('margin that no longer fits after an oracle move is InsufficientCollateral', () => {
    const csv = 'ts,price\n0,150\n400,260\n';
    const engine = new SimEngine({
      seed: 1,
      markets: [{ spec: SOL, startPrice: px('150'), replay: parseOracleCsv(csv, SOL.tickSize) }],
      subAccounts: { 1: usd('20') },
      competition: { rivals: [], landingDelayMs: 0 },
    });
    engine.place(5, { market: 'SOL-PERP', side: 'sell', type: 'market', baseAmount: base('1') });
    const [taker] = engine.activeTakerOrders('SOL-PERP');
    engine.advanceSlots(1); // the oracle is now 260: 1 SOL needs 26 USDC of initial margin
    const result = engine.fillTaker(taker!, { price: px('150'), baseAmount: base('1'), subAccount: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'insufficient-margin' });
    if (!result.ok) expect(result.message).toMatch(/^InsufficientCollateral: /);
  });

  it('a Swift order already taken is SignedMsgOrderDoesNotExist (auction-ended), and a seed replays the race', () => {
    const run = () => {
      const engine = new SimEngine({
        seed: 9,
        markets: [{ spec: SOL, startPrice: px('150'), volatilityBps: 80 }],
        takerFlow: { ordersPerMinute: 300 },
        competition: {}, // the default field of rivals
      });
      // A slow maker: fills every Swift order 3 slots into its auction, at that slot's price.
      const due = new Map<number, TakerOrder[]>();
      engine.subscribe((e) => {
        if (e.type !== 'taker') return;
        const at = e.order.auction.startSlot + 3;
        due.set(at, [...(due.get(at) ?? []), e.order]);
      });
      const results: PlaceResult[] = [];
      for (let slot = 0; slot < 300; slot++) {
        engine.advanceSlots(1);
        for (const t of due.get(engine.clock().slot) ?? []) {
          const price = auctionPriceAt({ ...t.auction, side: t.side }, engine.clock().slot, SOL.tickSize);
          results.push(engine.fillTaker(t, { price, baseAmount: t.baseAmount, subAccount: 1 }));
        }
      }
      return { engine, results };
    };
    const first = run();
    const second = run();
    const rejected = first.results.filter((r) => !r.ok);
    expect(first.results.length).toBeGreaterThan(50);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.length).toBeLessThan(first.results.length);
    for (const r of rejected) if (!r.ok) expect(r.reason).toBe('auction-ended');
    expect(
      rejected.some((r) => !r.ok && /^SignedMsgOrderDoesNotExist: .*already filled/.test(r.message)),
    ).toBe(true);
    expect(first.engine.history().some((e) => e.kind === 'rival-fill')).toBe(true);
    expect(serializeHistory(second.engine.history())).toBe(serializeHistory(first.engine.history()));
  });
});
