/**
 * order-management's public API for the bots: one `OrderManager` per bot wraps its `Venue`
 * with a per-order state machine, a durable SQLite journal, reconciliation after restarts,
 * pre-trade checks and an order-rate limit.
 */

export { startBotOrders, startRiskCheckedOrders } from './bot-orders.js';
export {
  ClientOrderIdGenerator,
  USER_ORDER_ID_MAX,
  USER_ORDER_ID_MIN,
  UserOrderIdPool,
  type UserOrderIdRange,
} from './client-ids.js';
export { FreshnessGuard, type FreshnessGuardOptions, startFreshnessGuard } from './freshness-guard.js';
export {
  acquireInstanceLock,
  type InstanceLock,
  InstanceLockError,
  subAccountLockPath,
} from './instance-lock.js';
export { Journal, type JournalEvent, type JournalFill, type JournalSync } from './journal.js';
export { defaultJournalPath } from './journal-path.js';
export type { ManagedOrder, ManagerRejectReason } from './managed-order.js';
export {
  type ManagedPlaceResult,
  type OrderCounters,
  OrderManager,
  type OrderManagerEvent,
  type OrderManagerOptions,
  type ReconcileSummary,
} from './order-manager.js';
export { canTransition, isTerminal, TERMINAL_STATUSES } from './order-states.js';
export type { PreTradeCheck, PreTradeContext, PreTradeVerdict } from './pre-trade.js';
export { type RateLimitOptions, TokenBucket } from './rate-limit.js';
export { planReconciliation, type ReconcileInput, type ReconcilePlan } from './reconcile.js';
export { type RiskSnapshotProvider, riskLimitsCheck, venueRiskSnapshot } from './risk-check.js';
