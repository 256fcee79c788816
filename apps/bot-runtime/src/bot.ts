/**
 * The contract every bot of the fleet implements, and what the runtime hands it. A bot holds only
 * its strategy: the venue, the order flow (journal, risk check, trading state, expiry, cancel-all at
 * shutdown), the data-freshness guard, the heartbeat and the process lifecycle are the runtime's.
 */
import type { FleetConfig } from '@drift/config';
import type { Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { AppLifecycle } from '@drift/runtime';
import type { FreshnessGuard, OrderManager } from 'order-management';

/** The bot's own part of its heartbeat; the runtime adds order-management's counts (`heartbeatStatus`). */
export interface BotStatus {
  /** PnL since start, net of fees, quote decimal string ("-12.5"). */
  pnlQuote: string;
  /** The strategy's counters (decisions, skips by reason, latencies), merged over order-management's. */
  counters: Record<string, number>;
}

export interface Bot {
  /** The app's name (logs, journal, heartbeats). */
  readonly name: string;
  /** Reads what the strategy needs from the venue and starts following it: trading from here on. */
  start(): Promise<void>;
  /**
   * Stops adding risk: once it resolves no order leaves the bot and work in flight has settled. The
   * runtime then cancels the bot's open orders and closes the venue.
   */
  stop(): Promise<void>;
  /** Synchronous and cheap: read for every heartbeat. */
  status(): BotStatus;
  /** Periodic work (a poll, a requote), every `tickMs` after `start`; never two at once. */
  tick?(): Promise<void>;
  /** How often `tick` runs, ms (required with `tick`). */
  readonly tickMs?: number;
}

/** What `runBot` gives a bot's factory: everything started and registered for shutdown. */
export interface BotDeps<P> {
  /** The app's name, as the orchestrator and the config know it. */
  bot: string;
  config: FleetConfig;
  /** `apps.<bot>.params`, validated by the bot's own loader. */
  params: P;
  /** Connected; the bot's own sub-account (`venue.subAccount`). */
  venue: Venue;
  /** The only way an order leaves the bot. */
  orders: OrderManager;
  /** True while the data is stale: add no risk. */
  freshness: Pick<FreshnessGuard, 'stale'>;
  logger: LoggerLike;
  /** For what the bot opens itself (a taker stream): registered steps run before the venue closes. */
  app: Pick<AppLifecycle, 'onShutdown' | 'supervised'>;
}
