/**
 * A bot trades only on fresh data. The guard follows the age of what the bot trades on (each
 * market's oracle by its own venue time, the venue's slot, the bot's account view as the venue
 * confirms it: @drift/domain's `DataFreshness`) by reading the venue's clock, oracles and account age every
 * `checkMs` and listening to its oracle pushes. Past the bound
 * (`risk.staleOracleMs`) it says so once (ERROR), cancels the bot's resting orders and refuses every
 * order that is not reduce-only (a pre-trade check, behind the bots' own `stale` test); when the data
 * is fresh again it says so once (WARN) and the bot trades again. The ages and the flag go into the
 * app's heartbeat status (`dataAgeMs`, `dataStale`) for the status API, metrics and dashboard.
 */
import { type FleetConfig, venueSpeed } from '@drift/config';
import {
  ACCOUNT_SOURCE,
  DataFreshness,
  type FreshnessReport,
  oracleSource,
  type Unsubscribe,
  type Venue,
} from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { AppLifecycle } from '@drift/runtime';
import type { OrderManager } from './order-manager.js';

export interface FreshnessGuardOptions {
  venue: Pick<Venue, 'clock' | 'getOraclePrice' | 'subscribe' | 'accountAsOf'>;
  orders: Pick<OrderManager, 'cancelAll' | 'addPreTradeCheck'>;
  /** The markets the bot trades: their oracles are what it prices on. */
  markets: readonly string[];
  maxAgeMs: number;
  /** Venue ms per local ms: a paper fleet's `sim.speed` (default 1). */
  speed?: number;
  logger: LoggerLike;
  /** Where the report goes with every check (the app's heartbeat status). */
  report?: (report: Pick<FreshnessReport, 'dataAgeMs' | 'dataStale'>) => void;
  /** Default: a quarter of the bound (in local time), between 50 ms and 1 s. */
  checkMs?: number;
  now?: () => number;
}

export class FreshnessGuard {
  private readonly freshness: DataFreshness;
  private readonly unsubscribers: Unsubscribe[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private staleNow = false;
  /** Resting orders still to cancel for this stall (the venue may be what went silent). */
  private cancelPending = false;
  private cancelling: Promise<void> | undefined;
  private cancelFailureLogged = false;

  constructor(private readonly options: FreshnessGuardOptions) {
    this.freshness = new DataFreshness({
      maxAgeMs: options.maxAgeMs,
      sources: [...options.markets.map(oracleSource), ACCOUNT_SOURCE],
      ...(options.speed !== undefined && { speed: options.speed }),
      ...(options.now && { now: options.now }),
    });
  }

  /** True while the data is stale: add no risk. */
  get stale(): boolean {
    return this.staleNow;
  }

  report(): FreshnessReport {
    return this.freshness.report();
  }

  /** First reading, then the checks; the pre-trade check is in force from here on. */
  async start(): Promise<void> {
    const { venue, orders, markets } = this.options;
    this.unsubscribers.push(
      venue.subscribe((event) => {
        if (event.type === 'oracle') this.freshness.observe(oracleSource(event.price.market), event.price.ts);
      }),
      orders.addPreTradeCheck(({ request }) =>
        !this.staleNow || request.reduceOnly === true
          ? { ok: true }
          : { ok: false, message: `data is stale (${this.describe()}): only reduce-only orders pass` },
      ),
    );
    await this.read().catch(() => {}); // a venue not answering yet is what the check measures
    this.check();
    const boundLocalMs = this.options.maxAgeMs / (this.options.speed ?? 1);
    const checkMs = this.options.checkMs ?? Math.max(50, Math.min(1_000, boundLocalMs / 4));
    this.timer = setInterval(() => {
      // One read at a time: a venue that stopped answering must not pile requests up.
      this.reading ??= this.read()
        .catch(() => {})
        .finally(() => {
          this.reading = undefined;
        });
      this.check();
    }, checkMs);
    this.timer.unref();
    this.options.logger.info(
      { markets, maxAgeMs: this.options.maxAgeMs, checkMs },
      'freshness guard started: no risk added on data older than the bound',
    );
  }

  stop(): void {
    clearInterval(this.timer);
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** The venue's clock, then each oracle with the stamps it carries, then the account view. */
  private async read(): Promise<void> {
    const { venue, markets } = this.options;
    this.freshness.clockRead(await venue.clock());
    for (const market of markets) {
      const price = await venue.getOraclePrice(market);
      this.freshness.observe(oracleSource(market), price.ts);
    }
    this.freshness.observe(ACCOUNT_SOURCE, (await venue.accountAsOf()).ts);
  }

  private check(): void {
    const report = this.freshness.report();
    this.options.report?.({ dataAgeMs: report.dataAgeMs, dataStale: report.dataStale });
    if (report.dataStale === this.staleNow) {
      if (this.staleNow && this.cancelPending) this.cancelResting();
      return;
    }
    this.staleNow = report.dataStale;
    const fields = { dataAgeMs: report.dataAgeMs, maxAgeMs: this.options.maxAgeMs };
    if (!report.dataStale) {
      this.cancelPending = false;
      this.options.logger.warn(fields, 'data fresh again: trading resumes');
      return;
    }
    this.options.logger.error(
      { ...fields, staleSources: report.staleSources },
      'data stale: not adding risk, cancelling resting orders',
    );
    this.cancelPending = true;
    this.cancelFailureLogged = false;
    this.cancelResting();
  }

  /** Cancels the bot's resting orders, again at each check while stale until it succeeds. */
  private cancelResting(): void {
    this.cancelling ??= this.options.orders
      .cancelAll()
      .then(
        () => {
          this.cancelPending = false;
        },
        (err: unknown) => {
          if (this.cancelFailureLogged) return;
          this.cancelFailureLogged = true;
          // Often the venue itself is what went silent: retried while the data stays stale.
          this.options.logger.warn(
            { err },
            'stale data: cancelling resting orders failed, retrying while stale',
          );
        },
      )
      .finally(() => {
        this.cancelling = undefined;
      });
  }

  private describe(): string {
    const { dataAgeMs, staleSources } = this.freshness.report();
    return staleSources.map((s) => `${s} ${dataAgeMs[s]} ms old`).join(', ') || 'just recovered';
  }
}

/**
 * A bot's guard as every bot's main sets it up: bound from the fleet config, ages into the
 * heartbeat, stopped at shutdown (before the orders are cancelled, registered after them).
 */
export async function startFreshnessGuard(
  app: Pick<AppLifecycle, 'onShutdown' | 'setStatus'>,
  options: Omit<FreshnessGuardOptions, 'report' | 'maxAgeMs' | 'speed'> & {
    config: Pick<FleetConfig, 'mode' | 'risk' | 'sim'>;
  },
): Promise<FreshnessGuard> {
  const { config, ...rest } = options;
  const guard = new FreshnessGuard({
    ...rest,
    maxAgeMs: config.risk.staleOracleMs,
    speed: venueSpeed(config),
    report: (report) => app.setStatus(report),
  });
  await guard.start();
  app.onShutdown('stop the freshness guard', () => guard.stop());
  return guard;
}
