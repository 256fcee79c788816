/**
 * The risk manager's limits as a pre-trade check: @drift/domain's `checkOrder` (the same pure function the
 * risk-manager service evaluates) on a snapshot of the fleet, so a bot never sends an order the
 * risk manager would call a breach.
 */
import { checkOrder, type LimitSet, type OraclePrice, type RiskSnapshot, type Venue } from '@drift/domain';
import type { PreTradeCheck, PreTradeContext } from './pre-trade.js';

/** Builds the snapshot an order is checked against (fresh per order, or cached by the caller). */
export type RiskSnapshotProvider = (context: PreTradeContext) => RiskSnapshot | Promise<RiskSnapshot>;

/**
 * `addPreTradeCheck(riskLimitsCheck(config.risk, venueRiskSnapshot(venue)))`: refuses with the
 * reason @drift/domain gives (`risk-limit`, `halted`, `rate-limited`, `invalid-size`) and its message.
 * The order is checked as if the bot's live orders on the same market and side filled with it
 * (worst case), so resting orders cannot add up past a limit one at a time.
 */
export function riskLimitsCheck(limits: LimitSet, snapshot: RiskSnapshotProvider): PreTradeCheck {
  return async (context) => {
    const { request } = context;
    const resting = context.liveOrders
      .filter((o) => o.market === request.market && o.side === request.side)
      .reduce((sum, o) => sum + (o.baseAmount - o.filledBase), 0n);
    const verdict = checkOrder(
      limits,
      context.tradingState,
      {
        market: request.market,
        side: request.side,
        baseAmount: request.baseAmount + resting,
        ...(request.reduceOnly === undefined ? {} : { reduceOnly: request.reduceOnly }),
        subAccount: context.subAccount,
      },
      await snapshot(context),
    );
    return verdict.ok ? verdict : { ok: false, reason: verdict.reason, message: verdict.message };
  };
}

/**
 * A snapshot read from the venue at each order: the accounts of `subAccounts` (default: the
 * order's own), the oracle of the order's market, this manager's order count for the last minute.
 * `dayStartEquity` feeds the daily-loss limit, which the risk-manager service owns (the pre-trade
 * check does not evaluate it), so it defaults to the current equity.
 */
export function venueRiskSnapshot(
  venue: Venue,
  options: { subAccounts?: readonly number[]; dayStartEquity?: () => bigint } = {},
): RiskSnapshotProvider {
  return async (context) => {
    const subAccounts = options.subAccounts ?? [context.subAccount];
    const [clock, oracle, ...accounts] = await Promise.all([
      venue.clock(),
      venue.getOraclePrice(context.request.market),
      ...subAccounts.map((sub) => venue.getAccount(sub)),
    ]);
    const oracles: Record<string, OraclePrice> = { [oracle.market]: oracle };
    const equity = accounts.reduce((sum, a) => sum + a.equity, 0n);
    return {
      now: clock.ts,
      accounts,
      oracles,
      dayStartEquity: options.dayStartEquity?.() ?? equity,
      ordersLastMinute: { [context.subAccount]: context.ordersLastMinute },
    };
  };
}
