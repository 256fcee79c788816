/**
 * How much a process may trade: `active` (anything within the limits), `reducing` (only orders that
 * shrink a position), `halted` (nothing). The risk manager, fail-closed and an operator all move it;
 * when two of them disagree the more restrictive one wins.
 */
export type TradingStateName = 'active' | 'reducing' | 'halted';

const RANK: Record<TradingStateName, number> = { active: 0, reducing: 1, halted: 2 };

/** The more restrictive of two trading states. */
export function worseState(a: TradingStateName, b: TradingStateName): TradingStateName {
  return RANK[a] >= RANK[b] ? a : b;
}
