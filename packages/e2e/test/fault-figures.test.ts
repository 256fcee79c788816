/**
 * The session's fault figures judge the simulator's history: these histories show that each figure
 * catches what it is there for (a bot adding risk, an order or a cancel from an intruder), and
 * does not count what is allowed (reduce-only orders, a JIT fill that shrinks a position).
 */
import { describe, expect, it } from 'vitest';
import { foreignVenueActivity, riskAddedInWindow } from './support/fault-figures.js';
import type { WireEntry } from './support/fleet-api.js';

let seq = 0;
const position = (ts: number, subAccount: number, before: string, after: string): WireEntry => ({
  seq: ++seq,
  ts,
  kind: 'position',
  subAccount,
  market: 'SOL-PERP',
  before,
  after,
});
const accepted = (
  ts: number,
  subAccount: number,
  side: 'buy' | 'sell',
  baseAmount: string,
  extra: { reduceOnly?: boolean; clientOrderId?: string; orderId?: string } = {},
): WireEntry =>
  ({
    seq: ++seq,
    ts,
    kind: 'order-accepted',
    order: {
      orderId: extra.orderId ?? String(seq),
      clientOrderId: extra.clientOrderId,
      subAccount,
      market: 'SOL-PERP',
      status: 'open',
      side,
      baseAmount,
      reduceOnly: extra.reduceOnly ?? false,
    },
  }) as WireEntry;
const cancelled = (ts: number, subAccount: number, clientOrderId: string): WireEntry =>
  ({
    seq: ++seq,
    ts,
    kind: 'order-updated',
    cause: 'cancel',
    order: {
      orderId: `o-${clientOrderId}`,
      clientOrderId,
      subAccount,
      market: 'SOL-PERP',
      status: 'cancelled',
    },
  }) as WireEntry;

const bots = new Set([1, 2]);

describe('riskAddedInWindow', () => {
  it('counts an order that grows or opens a position after the bound, and the growth itself', () => {
    const history = [
      position(100, 1, '0', '5'), // long 5 before the window
      accepted(200, 1, 'buy', '1'), // adds to the long
      position(201, 1, '5', '6'),
      accepted(300, 2, 'sell', '2'), // opens a short from flat
    ];
    const r = riskAddedInWindow(history, bots, 150, 1000);
    expect(r.ordersInWindow).toBe(2);
    expect(r.riskAddingOrders).toHaveLength(2);
    expect(r.riskAddingOrders[0]).toMatch(/^sub 1 buy 1 SOL-PERP at position 5 /);
    expect(r.positionGrowths).toEqual([expect.stringMatching(/^sub 1 SOL-PERP 5 -> 6 /)]);
  });

  it('does not count reduce-only orders, a fill that shrinks the position, nor other sub-accounts', () => {
    const history = [
      position(100, 1, '0', '5'),
      accepted(200, 1, 'buy', '9', { reduceOnly: true }), // capped by the venue: no risk
      accepted(210, 1, 'sell', '5'), // a JIT fill against the long, no bigger than it
      position(211, 1, '5', '0'),
      accepted(220, 0, 'buy', '300'), // sub-account 0: not a bot's
      accepted(50, 2, 'buy', '1'), // before the window
    ];
    const r = riskAddedInWindow(history, bots, 150, 1000);
    expect(r).toEqual({ ordersInWindow: 2, riskAddingOrders: [], positionGrowths: [] });
  });

  it('counts an opposite order bigger than the position it faces (a flip adds risk)', () => {
    const history = [position(100, 1, '0', '5'), accepted(200, 1, 'sell', '6')];
    expect(riskAddedInWindow(history, bots, 150, 1000).riskAddingOrders).toHaveLength(1);
  });
});

describe('foreignVenueActivity', () => {
  const journal = [
    { clientOrderId: 'mine-1', orderId: '11', status: 'filled' },
    { clientOrderId: 'mine-2', orderId: '12', status: 'cancelled', reason: 'cancel requested' },
  ];

  it('finds an order the first instance never journaled and a cancel it never asked for', () => {
    const history = [
      accepted(200, 3, 'buy', '1', { clientOrderId: 'mine-1', orderId: '11' }),
      accepted(210, 3, 'buy', '1', { clientOrderId: 'intruder-1' }),
      cancelled(220, 3, 'mine-2'),
      cancelled(230, 3, 'mine-1'), // ended cancelled without its own request
    ];
    const r = foreignVenueActivity(history, 3, 150, 1000, journal);
    expect(r.ordersInWindow).toBe(2);
    expect(r.foreignOrders).toEqual([expect.stringMatching(/^intruder-1 /)]);
    expect(r.foreignCancels).toEqual([expect.stringMatching(/^mine-1 /)]);
  });

  it('sees nothing outside the window or on another sub-account', () => {
    const history = [accepted(100, 3, 'buy', '1', { clientOrderId: 'x' }), cancelled(300, 4, 'y')];
    expect(foreignVenueActivity(history, 3, 150, 1000, journal)).toEqual({
      ordersInWindow: 0,
      foreignOrders: [],
      foreignCancels: [],
    });
  });
});
