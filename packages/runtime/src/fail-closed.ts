/**
 * Fail closed: a bot trades only while it has a fresh word from a live risk manager. The risk
 * manager sends a `risk-state` after every evaluation it completes; the orchestrator relays each as a
 * `risk-word` to the bots. Silence past `failClosed.silenceMs` (a crash loop, a stop, a risk state it
 * cannot read) takes every bot to `failClosed.state` and cancels its resting orders.
 */
import { type FleetConfig, runsAsProcess } from '@drift/config';

/** The `by` of a trading-state change made because the risk manager's word went stale (or came back). */
export const FAIL_CLOSED_BY = 'fail-closed';

/** The name of the risk manager the fleet runs, if it has one. */
export function riskManagerOf(config: FleetConfig): string | undefined {
  return Object.values(config.apps).find((a) => a.kind === 'risk' && runsAsProcess(a, config.mode))?.name;
}

/**
 * Why this fleet may not start for want of a risk manager (empty: it may). Live never runs without
 * one; paper only when `risk.allowNoRiskManager: true` says so.
 */
export function riskManagerIssues(config: FleetConfig): string[] {
  if (riskManagerOf(config) !== undefined) return [];
  if (config.mode === 'live')
    return ['apps: live mode needs an enabled risk manager (an app of kind risk, e.g. risk-manager)'];
  if (!config.failClosed.allowNoRiskManager)
    return [
      'apps: no enabled risk manager: nothing would enforce the risk limits; enable risk-manager, or set risk.allowNoRiskManager: true (paper mode only)',
    ];
  return [];
}
