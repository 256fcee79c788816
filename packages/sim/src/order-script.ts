/**
 * The seam for the differential test against the compiled Drift program: a list of orders, each at
 * a slot, run through a fresh engine, and what came of them — each order's result, every fill with
 * its fee, the positions and each sub-account's margin. The real-program lane runs the same list
 * through the program (bankrun) and compares the two within stated tolerances.
 */
import type { AccountState, Fill, OrderRequest, PlaceResult, Position, TakerOrder } from '@drift/domain';
import type { SimEngineConfig } from './config.js';
import { SimEngine } from './engine.js';

export interface ScriptedOrder {
  /** The slot to place it at (non-decreasing down the list). */
  slot: number;
  subAccount: number;
  order: OrderRequest;
}

export interface ScriptOutcome {
  /** One per order, in the script's order. */
  results: PlaceResult[];
  /** Every fill of every sub-account, in the order they happened (fees in `fee`). */
  fills: Fill[];
  positions: Position[];
  /** Auctions still running at the end (a sub-account's market order is one), with their terms. */
  auctions: TakerOrder[];
  /** Collateral, equity and margin requirements of each sub-account the script used. */
  accounts: ScriptAccount[];
}

/** An account with the program's free collateral (what its initial margin check leaves). */
export type ScriptAccount = AccountState & { freeCollateral: bigint };

export function runOrderScript(config: SimEngineConfig, script: readonly ScriptedOrder[]): ScriptOutcome {
  const engine = new SimEngine(config);
  const results: PlaceResult[] = [];
  const subAccounts = new Set<number>();
  for (const [i, step] of script.entries()) {
    const now = engine.clock().slot;
    if (step.slot < now) throw new RangeError(`script[${i}].slot: ${step.slot} is before slot ${now}`);
    engine.advanceSlots(step.slot - now);
    results.push(engine.place(step.subAccount, step.order));
    subAccounts.add(step.subAccount);
  }
  const ids = [...subAccounts].sort((a, b) => a - b);
  return {
    results,
    fills: engine.fills(),
    positions: engine.positions(),
    auctions: engine.markets().flatMap((m) => engine.activeTakerOrders(m.symbol)),
    accounts: ids.map((id) => ({ ...engine.account(id), freeCollateral: engine.freeCollateral(id) })),
  };
}
