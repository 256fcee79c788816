/**
 * A sub-account's margin as the Drift program computes it (protocol-v2 `math/margin.rs`,
 * `calculate_margin_requirement_and_total_collateral`), checked against the compiled program by
 * drift-client's differential test:
 * - each market's requirement is on the worst case of the position and its open orders,
 *   `max(|base + bids|, |base - asks|)` at the oracle, times the market's ratio, plus
 *   `OPEN_ORDER_MARGIN` for every open order (initial and maintenance alike);
 * - the initial collateral counts a market's unsettled PnL (trading PnL, fees and funding not yet
 *   settled into USDC: all of it here, the sim never settles) only when negative — the program's
 *   default `unrealized_pnl_initial_asset_weight` of 0 — while equity (the maintenance view) counts
 *   it whole.
 */
import { absBig, type MarketSpec, maxBig, QUOTE_PRECISION } from '@drift/domain';
import { marginFor } from './ledger.js';

/** The program's margin charge per open order ($0.01). */
export const OPEN_ORDER_MARGIN = QUOTE_PRECISION / 100n;

export interface MarketMargin {
  spec: MarketSpec;
  oracle: bigint;
  /** Signed position base. */
  base: bigint;
  /** Open (non-reduce-only) order size per side. */
  bids: bigint;
  asks: bigint;
  openOrders: number;
  unrealizedPnl: bigint;
  /** The position's net cash effect so far (in `collateral`; on chain still in the position). */
  realizedPnl: bigint;
}

export interface MarginState {
  /** Deposits plus realized PnL, fees and funding. */
  collateral: bigint;
  unrealizedPnl: bigint;
  /** collateral + unrealized PnL (the maintenance view: unsettled PnL at full weight). */
  equity: bigint;
  /** What the program's initial margin check counts: deposits plus only negative unsettled PnL. */
  initialCollateral: bigint;
  initialMarginRequirement: bigint;
  maintenanceMarginRequirement: bigint;
}

export function marginState(collateral: bigint, markets: readonly MarketMargin[]): MarginState {
  let unrealized = 0n;
  let positiveUnsettled = 0n;
  let initial = 0n;
  let maintenance = 0n;
  for (const m of markets) {
    unrealized += m.unrealizedPnl;
    positiveUnsettled += maxBig(m.realizedPnl + m.unrealizedPnl, 0n);
    const worst = maxBig(absBig(m.base + m.bids), absBig(m.base - m.asks));
    const orders = BigInt(m.openOrders) * OPEN_ORDER_MARGIN;
    initial += marginFor(worst, m.oracle, m.spec.initialMarginBps) + orders;
    maintenance += marginFor(worst, m.oracle, m.spec.maintenanceMarginBps) + orders;
  }
  return {
    collateral,
    unrealizedPnl: unrealized,
    equity: collateral + unrealized,
    initialCollateral: collateral + unrealized - positiveUnsettled,
    initialMarginRequirement: initial,
    maintenanceMarginRequirement: maintenance,
  };
}
