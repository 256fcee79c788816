/**
 * The history is complete enough to audit a run: replaying it must reproduce every account, and it
 * never shows an order twice or an order filled beyond its size.
 */
import { describe, expect, it } from 'vitest';
import { BTC, px, SOL, usd } from '../test/helpers.js';
import { SimEngine } from './engine.js';
import type { HistoryEntry } from './history.js';
import { Prng } from './prng.js';

function busySession(): SimEngine {
  const engine = new SimEngine({
    seed: 5,
    markets: [
      { spec: SOL, startPrice: px('150'), volatilityBps: 150 },
      { spec: BTC, startPrice: px('65000'), volatilityBps: 100 },
    ],
    subAccounts: { 1: usd('20000'), 2: usd('20000'), 3: usd('20000') },
    takerFlow: { ordersPerMinute: 200 },
    funding: { intervalMs: 20_000 },
  });
  const script = new Prng(77);
  engine.subscribe((event) => {
    if (event.type !== 'taker' || script.nextFloat() < 0.4) return;
    engine.fillTaker(event.order, {
      price: event.order.auction.startPrice,
      baseAmount: event.order.baseAmount,
      subAccount: 1 + script.nextInt(3),
    });
  });
  for (let slot = 0; slot < 400; slot++) {
    const spec = script.nextFloat() < 0.5 ? SOL : BTC;
    const oracle = engine.oracle(spec.symbol).price;
    const side = script.nextFloat() < 0.5 ? 'buy' : 'sell';
    const sub = 1 + script.nextInt(3);
    const roll = script.nextFloat();
    if (roll < 0.15) {
      engine.place(sub, { market: spec.symbol, side, type: 'market', baseAmount: spec.minOrderSize * 20n });
    } else if (roll < 0.25) {
      engine.cancelAll({ subAccount: sub });
    } else {
      const offset = BigInt(script.nextInt(40) - 10) * spec.tickSize * 100n;
      engine.place(sub, {
        market: spec.symbol,
        side,
        type: 'limit',
        price: side === 'buy' ? oracle - offset : oracle + offset,
        baseAmount: spec.minOrderSize * BigInt(1 + script.nextInt(50)),
        reduceOnly: roll > 0.9,
        clientOrderId: `c${slot}`,
      });
    }
    engine.advanceSlots(1);
  }
  return engine;
}

describe('history audit', () => {
  const engine = busySession();
  const history = engine.history();
  const of = <K extends HistoryEntry['kind']>(kind: K) =>
    history.filter((e): e is Extract<HistoryEntry, { kind: K }> => e.kind === kind);

  it('saw a real session', () => {
    expect(of('fill').length).toBeGreaterThan(100);
    expect(of('funding').length).toBeGreaterThan(0);
    expect(of('order-rejected').length).toBeGreaterThan(0);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
  });

  it('replaying fills, fees and funding gives every account and position', () => {
    for (const sub of [1, 2, 3]) {
      let cash = 0n;
      const base = new Map<string, bigint>();
      for (const e of history) {
        if (e.kind === 'fill' && e.fill.subAccount === sub) {
          cash -= e.fill.fee;
          const signed = e.fill.side === 'buy' ? e.fill.baseAmount : -e.fill.baseAmount;
          base.set(e.fill.market, (base.get(e.fill.market) ?? 0n) + signed);
        }
        if (e.kind === 'position' && e.subAccount === sub) cash += e.realized;
        if (e.kind === 'funding' && e.subAccount === sub) cash += e.amount;
      }
      expect(engine.account(sub).collateral).toBe(usd('20000') + cash);
      for (const position of engine.positions({ subAccount: sub }))
        expect(position.baseAmount).toBe(base.get(position.market) ?? 0n);
    }
  });

  it('no order is accepted twice, updates follow acceptance, fills never exceed the size', () => {
    const accepted = of('order-accepted').map((e) => e.order.orderId);
    expect(new Set(accepted).size).toBe(accepted.length);
    const known = new Set(accepted);
    const filled = new Map<string, bigint>();
    const problems: string[] = [];
    for (const e of history) {
      if (e.kind === 'order-updated') {
        const { orderId, filledBase, baseAmount } = e.order;
        if (!known.has(orderId)) problems.push(`update of unknown order ${orderId}`);
        if (filledBase > baseAmount) problems.push(`order ${orderId} overfilled`);
        if (filledBase < (filled.get(orderId) ?? 0n))
          problems.push(`order ${orderId} filled amount went down`);
        filled.set(orderId, filledBase);
      }
      if (e.kind === 'fill' && !known.has(e.fill.orderId))
        problems.push(`fill of unknown order ${e.fill.orderId}`);
    }
    expect(problems).toEqual([]);
    expect(filled.size).toBeGreaterThan(100);
    const clientIds = of('order-accepted').flatMap((e) =>
      e.order.clientOrderId ? [e.order.clientOrderId] : [],
    );
    expect(new Set(clientIds).size).toBe(clientIds.length);
  });

  it('a reduce-only fill never grows a position', () => {
    const reduceOnly = new Set(
      of('order-accepted').flatMap((e) => (e.order.reduceOnly ? [e.order.orderId] : [])),
    );
    let checked = 0;
    history.forEach((e, i) => {
      if (e.kind !== 'fill' || !reduceOnly.has(e.fill.orderId)) return;
      const change = history[i + 1];
      if (change?.kind !== 'position') throw new Error('a fill is followed by its position change');
      const abs = (v: bigint) => (v < 0n ? -v : v);
      expect(abs(change.after) < abs(change.before)).toBe(true);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('the position log chains: each change starts where the last one ended', () => {
    const last = new Map<string, bigint>();
    for (const e of of('position')) {
      const key = `${e.subAccount}/${e.market}`;
      expect(e.before).toBe(last.get(key) ?? 0n);
      last.set(key, e.after);
    }
  });
});
