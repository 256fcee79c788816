/**
 * How old the pool's view of the chain is: local time since the best slot any endpoint reports last
 * advanced (@drift/domain's `DataFreshness`, source `slot`). Every process the pool serves trades on that
 * view, and a pool whose endpoints all stalled still answers, so the age is reported with the
 * heartbeat (status API, `drift_app_data_age_seconds`, the stale-data alert) and a stall is said
 * once at ERROR, its end once at WARN.
 */
import { DataFreshness, type FreshnessReport } from '@drift/domain';
import type { Logger } from 'pino';
import type { RpcPool } from './pool.js';

export interface SlotFreshnessOptions {
  /** Past this the view is stale: the fleet's bound plus one probe interval (the slot is read per probe). */
  maxAgeMs: number;
  logger: Logger;
  now?: () => number;
}

export class SlotFreshness {
  readonly #freshness: DataFreshness;
  readonly #pool: RpcPool;
  readonly #logger: Logger;
  readonly #now: () => number;
  #stale = false;

  constructor(pool: RpcPool, options: SlotFreshnessOptions) {
    this.#pool = pool;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#freshness = new DataFreshness({ maxAgeMs: options.maxAgeMs, sources: [], now: this.#now });
  }

  /** Reads the pool's best slot and reports the age; logs the change between fresh and stale. */
  check(): FreshnessReport {
    const slots = this.#pool.status().flatMap((s) => (s.slot === undefined ? [] : [s.slot]));
    if (slots.length > 0) this.#freshness.clockRead({ slot: Math.max(...slots), ts: this.#now() });
    const report = this.#freshness.report();
    if (report.dataStale !== this.#stale) {
      this.#stale = report.dataStale;
      const fields = { dataAgeMs: report.dataAgeMs, maxAgeMs: this.#freshness.maxAgeMs };
      if (report.dataStale) this.#logger.error(fields, 'data stale: no endpoint reports a new slot');
      else this.#logger.warn(fields, 'data fresh again: the best slot advances');
    }
    return report;
  }
}
