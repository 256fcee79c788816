/**
 * How old the data a process trades on is. A silent websocket looks alive to a process check, and a
 * callback that keeps firing with the same reading looks busy: so ages come from the data's own
 * stamps — an oracle reading's venue time, the venue's slot — never from when a callback ran.
 *
 * - `slot`: local time since the venue's slot last advanced (a clock reading with another slot): a
 *   silent connection, measured on our clock and never scaled (see `speed`).
 * - any other source (`oracle:SOL-PERP`): venue time now minus the reading's own venue time, venue
 *   time now being the last clock reading carried forward by the local time since it was read (so a
 *   clock that stops answering makes every age grow, not freeze).
 *
 * Data ages are in venue ms: local time is scaled by `speed` (a fast-forwarded simulator's clock
 * multiplier; 1 for a real venue). The slot's is not: scaled, a 200 ms hiccup of a loaded machine
 * would read as 6 s of silence at 30x and flap the bots (measured in the e2e session). A source not seen yet is as old as the tracker. Past `maxAgeMs` a source is stale. A clock whose
 * venue time goes back is a new venue (a restarted simulator): what was known of the old one is
 * forgotten, so its stamps neither hide the new one's staleness nor make it look stale.
 */

export const SLOT_SOURCE = 'slot';
/** The bot's own account view (positions, orders, margin): `Venue.accountAsOf`. */
export const ACCOUNT_SOURCE = 'account';

/** The source name of a market's oracle. */
export function oracleSource(market: string): string {
  return `oracle:${market}`;
}

export interface FreshnessReport {
  /** Age of each source, ms. */
  dataAgeMs: Record<string, number>;
  /** True when any source is older than the bound. */
  dataStale: boolean;
  /** The stale sources, oldest first. */
  staleSources: string[];
}

export interface DataFreshnessOptions {
  maxAgeMs: number;
  /** Every source the process trades on (besides `slot`, which is always tracked). */
  sources: readonly string[];
  /** Venue ms per local ms (paper mode: `sim.speed`); default 1. */
  speed?: number;
  /** Local clock, ms (tests pin it). */
  now?: () => number;
}

export class DataFreshness {
  readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly speed: number;
  /** Local time of creation, or of the last new venue: unseen sources are this old. */
  private since: number;
  /** Venue time of each source's newest reading. */
  private readonly stamps = new Map<string, number | undefined>();
  private clock: { slot: number; ts: number; readAt: number } | undefined;
  private slotAdvancedAt: number;

  constructor(options: DataFreshnessOptions) {
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? Date.now;
    this.speed = options.speed ?? 1;
    this.since = this.now();
    this.slotAdvancedAt = this.since;
    for (const source of options.sources) this.stamps.set(source, undefined);
  }

  /** A reading of the venue's clock, just received. */
  clockRead(reading: { slot: number; ts: number }): void {
    const readAt = this.now();
    if (this.clock && reading.ts < this.clock.ts) {
      this.since = readAt;
      for (const source of this.stamps.keys()) this.stamps.set(source, undefined);
    }
    if (!this.clock || reading.slot !== this.clock.slot) this.slotAdvancedAt = readAt;
    this.clock = { ...reading, readAt };
  }

  /** A reading of `source` stamped `ts` (venue time); an older stamp than the one known changes nothing. */
  observe(source: string, ts: number): void {
    if (!this.stamps.has(source)) return;
    const known = this.stamps.get(source);
    if (known === undefined || ts > known) this.stamps.set(source, ts);
  }

  report(): FreshnessReport {
    const now = this.now();
    const venueNow = this.clock ? this.clock.ts + (now - this.clock.readAt) * this.speed : undefined;
    const dataAgeMs: Record<string, number> = {
      [SLOT_SOURCE]: Math.round(now - this.slotAdvancedAt),
    };
    for (const [source, ts] of this.stamps) {
      const age =
        ts === undefined || venueNow === undefined ? (now - this.since) * this.speed : venueNow - ts;
      dataAgeMs[source] = Math.max(0, Math.round(age));
    }
    const staleSources = Object.entries(dataAgeMs)
      .filter(([, age]) => age > this.maxAgeMs)
      .sort(([, a], [, b]) => b - a)
      .map(([source]) => source);
    return { dataAgeMs, dataStale: staleSources.length > 0, staleSources };
  }
}
