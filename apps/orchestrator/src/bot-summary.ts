/**
 * A bot's session figures from its last heartbeat: what the status API carries, the CLI and the
 * dashboard show, and the orchestrator logs per bot when the fleet stops.
 */
import type { AppStatus } from '@drift/runtime';

export interface BotSummary {
  /** A maker's share of the takers it saw (its own `fillRate`), else filled / placed; null: none placed. */
  fillRate: number | null;
  /** Attempts the venue or the checks refused (order-management's `ordersLost`); null: not reported. */
  attemptsLost: number | null;
  /** The same by reject reason (`auction-ended`, `invalid-price`, ...), most first. */
  lostBy: Record<string, number>;
  feesPaidQuote: string | null;
  /** Rebates received. */
  feesReceivedQuote: string | null;
  /** The bot's PnL, net of fees: its fills' cash includes every fee paid and rebate received. */
  netPnlQuote: string;
}

const REJECTED = 'rejected.';

export function botSummary(status: AppStatus): BotSummary {
  const c = status.counters;
  const lostBy = Object.fromEntries(
    Object.entries(c)
      .filter(([key]) => key.startsWith(REJECTED))
      .map(([key, n]) => [key.slice(REJECTED.length), n] as const)
      .sort((a, b) => b[1] - a[1]),
  );
  const filledOfPlaced = status.ordersPlaced > 0 ? (c.ordersFilled ?? 0) / status.ordersPlaced : null;
  return {
    fillRate: c.fillRate ?? filledOfPlaced,
    attemptsLost: c.ordersLost ?? null,
    lostBy,
    feesPaidQuote: status.feesPaidQuote ?? null,
    feesReceivedQuote: status.feesReceivedQuote ?? null,
    netPnlQuote: status.pnlQuote,
  };
}

export function formatFillRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}

/** Attempts lost and the commonest reasons: "12 (auction-ended 10, invalid-price 2)". */
export function formatLost(summary: BotSummary): string {
  if (summary.attemptsLost === null) return '-';
  const why = Object.entries(summary.lostBy)
    .slice(0, 3)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return why ? `${summary.attemptsLost} (${why})` : String(summary.attemptsLost);
}

/** One human line: "fill rate 25.0%, lost 3 (auction-ended 2), fees paid 1.05, rebates 0.0375, net PnL 42.5". */
export function summaryLine(summary: BotSummary): string {
  return [
    `fill rate ${formatFillRate(summary.fillRate)}`,
    `lost ${formatLost(summary)}`,
    `fees paid ${summary.feesPaidQuote ?? '-'}`,
    `rebates ${summary.feesReceivedQuote ?? '-'}`,
    `net PnL ${summary.netPnlQuote}`,
  ].join(', ');
}
