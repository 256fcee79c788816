import { ORDER_STATUSES, type OrderStatus } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal, liveStatusFor } from './order-states.js';

const ALL = ORDER_STATUSES;
const LEGAL: Record<OrderStatus, OrderStatus[]> = {
  new: ['open', 'partially-filled', 'filled', 'cancelled', 'rejected', 'expired'],
  open: ['partially-filled', 'filled', 'cancelled', 'expired'],
  'partially-filled': ['filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

describe('order state machine', () => {
  for (const from of ALL) {
    for (const to of ALL) {
      if (from === to) continue;
      const legal = LEGAL[from].includes(to);
      it(`${legal ? 'allows' : 'refuses'} ${from} -> ${to}`, () => {
        expect(canTransition(from, to)).toBe(legal);
      });
    }
  }

  it('treats filled, cancelled, rejected and expired as final', () => {
    expect(ALL.filter(isTerminal)).toEqual(['filled', 'cancelled', 'rejected', 'expired']);
  });

  it('derives the live status from the filled size', () => {
    expect(liveStatusFor(0n, 10n)).toBe('open');
    expect(liveStatusFor(4n, 10n)).toBe('partially-filled');
    expect(liveStatusFor(10n, 10n)).toBe('filled');
  });
});
