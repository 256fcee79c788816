/**
 * The JIT market maker: every taker order from the stream is verified, decided with `decide()`
 * (oracle fair value, edge, inventory skew, caps, volatility guard) and, when the decision is to
 * fill, filled through order-management at the decided price once the auction reaches the decided
 * slot — re-decided at every slot until then, so a moved oracle, a tripped guard or the end of the
 * auction turn it into a skip. One log line per taker order with its outcome.
 *
 * A Swift order's signature check may run off the main thread (`verify` returning a promise): the
 * order is decided meanwhile, but no outcome is final — nothing is sent to order-management, no
 * line is logged — until the check has passed; a forgery ends as a `bad-signature` skip.
 */
import {
  findMarket,
  formatBase,
  formatPrice,
  formatQuote,
  type MarketSpec,
  type OraclePrice,
  type TakerOrder,
  type TakerOrderSource,
  type Unsubscribe,
  type Venue,
} from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Bot, BotStatus } from 'bot-runtime';
import type { OrderManager } from 'order-management';
import { type Decision, decide, type SkipReason } from './decide.js';
import { Histogram } from './histogram.js';
import { type JitParams, quoteParamsFor } from './params.js';
import { PnlBook } from './pnl.js';
import { VolatilityGuard } from './volatility-guard.js';

/** Why a taker order was not filled: decide()'s reasons plus the bot's own. */
export type OutcomeReason =
  | SkipReason
  | 'bad-signature'
  | 'unknown-market'
  | 'no-oracle'
  | 'halted'
  | 'stale-data'
  | 'reducing'
  | 'stopping'
  | 'duplicate'
  | 'own-fleet';

export interface JitMakerDeps {
  venue: Venue;
  takers: TakerOrderSource;
  orders: OrderManager;
  logger: LoggerLike;
  params: JitParams;
  /**
   * Checks a Swift order's signature (paper: the simulator's; live: swift-client already did). A
   * promise lets the maker decide while it runs; the fill waits for it.
   */
  verify: (taker: TakerOrder) => boolean | Promise<boolean>;
  /**
   * Takers that are the fleet's own accounts (paper: `sub-account:<n>`): never filled, or the maker
   * would trade with the hedge bot it is hedged by.
   */
  ownTakers?: ReadonlySet<string>;
  /** order-management's freshness guard: while the data is stale no taker order is filled. */
  freshness?: { readonly stale: boolean };
  /** Monotonic local clock in ms for latencies (default `performance.now`). */
  now?: () => number;
  bot?: string;
}

interface Pending {
  taker: TakerOrder;
  spec: MarketSpec;
  receivedAt: number;
  decided: boolean;
  /** When the decision to fill now was taken (local ms): the venue hears of the decision time. */
  decidedAt?: number;
  /** The signature check while it runs (resolves false on any failure); unset once it passed. */
  verifying?: Promise<boolean>;
}

type FillDecision = Extract<Decision, { decision: 'fill' }>;
type Skip = { decision: 'skip'; reason: OutcomeReason; requiredPrice?: bigint };

export class JitMaker implements Bot {
  readonly name: string;
  readonly decisionLatency = new Histogram();
  readonly fillLatency = new Histogram();
  readonly pnl = new PnlBook();
  private readonly log: LoggerLike;
  private readonly now: () => number;
  private readonly markets: Map<string, MarketSpec>;
  private readonly guards = new Map<string, VolatilityGuard>();
  private readonly oracles = new Map<string, OraclePrice>();
  private readonly pending = new Map<string, Pending>();
  private readonly handled = new Set<string>();
  /** Signed size of fills sent but not yet answered, per market: counted as position. */
  private readonly reserved = new Map<string, bigint>();
  /** Fills sent and outcomes waiting for a signature check: `idle()` and `stop()` await them. */
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly unsubscribers: Unsubscribe[] = [];
  private slot = 0;
  private stopped = false;
  /** `attempts`: fills sent to the venue; `lost`: those it refused (another maker was first, ...). */
  private readonly counts = { seen: 0, filled: 0, fillErrors: 0, attempts: 0, lost: 0 };
  private readonly skipped: Partial<Record<OutcomeReason | `rejected.${string}`, number>> = {};

  constructor(private readonly deps: JitMakerDeps) {
    this.name = deps.bot ?? 'jit-mm-swift';
    this.log = deps.logger.child({ component: 'jit-mm-swift', bot: this.name });
    this.now = deps.now ?? (() => performance.now());
    this.markets = new Map(
      deps.params.markets.map((m) => {
        const spec = deps.venue.markets().find((s) => s.symbol === m) ?? findMarket(m);
        if (!spec) throw new Error(`jit-mm-swift: market ${m} is unknown to the venue`);
        return [m, spec];
      }),
    );
    for (const m of this.markets.keys())
      this.guards.set(m, new VolatilityGuard(deps.params.volWindowMs, deps.params.volGuardBps));
  }

  /** Reads oracles and positions, then follows the venue and the taker stream. Venue connected first. */
  async start(): Promise<void> {
    const { venue, orders, takers } = this.deps;
    this.slot = (await venue.clock()).slot;
    for (const market of this.markets.keys()) this.onOracle(await venue.getOraclePrice(market));
    for (const p of await venue.getPositions()) {
      const oracle = this.oracles.get(p.market);
      if (this.markets.has(p.market) && oracle && p.baseAmount !== 0n)
        this.pnl.seed(p.market, p.baseAmount, oracle.price);
    }
    this.unsubscribers.push(
      venue.subscribe((event) => {
        if (event.type === 'oracle') this.onOracle(event.price);
      }),
      orders.subscribe((event) => {
        if (event.type !== 'fill') return;
        const oracle = this.oracles.get(event.fill.market)?.price ?? event.fill.price;
        this.pnl.onFill(event.fill, oracle);
      }),
      takers.subscribe([...this.markets.keys()], (taker) => this.onTaker(taker)),
    );
    this.log.info(
      { markets: [...this.markets.keys()], edgeBps: this.deps.params.edgeBps, slot: this.slot },
      'jit maker started',
    );
  }

  /**
   * Stops taking taker orders; pending ones are dropped, fills in flight are awaited (a fill still
   * waiting for its signature check is dropped as `stopping`).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    for (const p of this.pending.values()) this.finish(p, { decision: 'skip', reason: 'stopping' });
    this.pending.clear();
    await this.idle();
  }

  /** Resolves once no fill or signature check is in flight (tests step the simulator with it). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  position(market: string): bigint {
    return this.pnl.position(market);
  }

  /** The maker's part of the heartbeat: PnL, fill rates, skips by reason and latencies. */
  status(): BotStatus {
    const skipped = Object.fromEntries(
      Object.entries(this.skipped).map(([k, v]) => [`skipped.${k}`, v ?? 0]),
    );
    const pnl = this.pnl.markToMarket((m) => this.oracles.get(m)?.price);
    return {
      // Net of fees: the fills' cash includes every fee paid and rebate received.
      pnlQuote: formatQuote(pnl),
      counters: {
        takersSeen: this.counts.seen,
        takersFilled: this.counts.filled,
        fillRate: this.counts.seen === 0 ? 0 : this.counts.filled / this.counts.seen,
        fillAttempts: this.counts.attempts,
        attemptsLost: this.counts.lost,
        attemptFillRate: this.counts.attempts === 0 ? 0 : this.counts.filled / this.counts.attempts,
        ...skipped,
        // Money stays integral: QUOTE_PRECISION units (1e-6 USDC), exact below 2^53.
        spreadCapturedQuoteUnits: Number(this.pnl.spreadCaptured),
        ...this.decisionLatency.toCounters('decisionLatency'),
        ...this.fillLatency.toCounters('fillLatency'),
      },
    };
  }

  counters() {
    return { ...this.counts, skipped: { ...this.skipped } };
  }

  private onOracle(price: OraclePrice): void {
    if (!this.markets.has(price.market)) return;
    this.oracles.set(price.market, price);
    this.guards.get(price.market)?.record(price.ts, price.price);
    if (price.slot > this.slot) this.slot = price.slot;
    for (const p of [...this.pending.values()]) if (p.taker.market === price.market) this.evaluate(p);
  }

  private onTaker(taker: TakerOrder): void {
    const receivedAt = this.now();
    if (this.stopped) return;
    this.counts.seen++;
    const spec = this.markets.get(taker.market);
    const entry: Pending = { taker, spec: spec as MarketSpec, receivedAt, decided: false };
    const refusal = this.refusal(taker, spec);
    if (refusal) {
      this.remember(taker.uuid);
      this.finish(entry, { decision: 'skip', reason: refusal });
      return;
    }
    // On-chain auctions are the program's own orders; signed messages must be the taker's.
    const verdict = taker.source !== 'swift' || this.deps.verify(taker);
    // A forgery's uuid is not remembered: copying a genuine order's uuid must not get that order
    // skipped as a duplicate when it arrives.
    if (verdict === false) {
      this.finish(entry, { decision: 'skip', reason: 'bad-signature' });
      return;
    }
    this.remember(taker.uuid);
    if (verdict !== true) this.watch(entry, verdict);
    this.evaluate(entry);
  }

  /** Follows a signature check running off the main thread; a forgery waiting for its slot ends now. */
  private watch(p: Pending, verdict: Promise<boolean>): void {
    const verifying = verdict.then(
      (ok) => ok === true,
      () => false,
    );
    p.verifying = verifying;
    // Registered before any outcome's own wait on `verifying`, so it runs first.
    void verifying.then((ok) => {
      if (ok) {
        p.verifying = undefined;
        return;
      }
      // Forgotten once known forged, as on the main thread (a genuine copy arriving while the
      // check ran was still skipped as a duplicate).
      this.handled.delete(p.taker.uuid);
      if (this.pending.get(p.taker.uuid) === p) {
        this.pending.delete(p.taker.uuid);
        this.conclude(p, { decision: 'skip', reason: 'bad-signature' });
      }
    });
  }

  private refusal(taker: TakerOrder, spec: MarketSpec | undefined): OutcomeReason | undefined {
    if (this.handled.has(taker.uuid)) return 'duplicate';
    if (!spec) return 'unknown-market';
    if (this.deps.ownTakers?.has(taker.taker)) return 'own-fleet';
    return undefined;
  }

  /** Decides now; fills when the decided slot has come, waits for it otherwise. */
  private evaluate(p: Pending): void {
    const startedAt = this.now();
    const { taker } = p;
    const firstLook = !p.decided;
    p.decided = true;
    const oracle = this.oracles.get(taker.market);
    let decision: Decision | Skip;
    const state = this.deps.orders.tradingState;
    const position = this.position(taker.market) + (this.reserved.get(taker.market) ?? 0n);
    if (state === 'halted') decision = { decision: 'skip', reason: 'halted' };
    else if (this.deps.freshness?.stale) decision = { decision: 'skip', reason: 'stale-data' };
    else if (!oracle) decision = { decision: 'skip', reason: 'no-oracle' };
    else {
      decision = decide({
        taker,
        market: p.spec,
        oraclePrice: oracle.price,
        slot: this.slot,
        position,
        params: quoteParamsFor(this.deps.params, taker.market),
        volatile: this.guards.get(taker.market)?.tripped() ?? false,
      });
      // Reducing: only fills that shrink the position without flipping it (order-management would refuse the rest).
      if (state === 'reducing' && decision.decision === 'fill' && !shrinks(position, decision))
        decision = { decision: 'skip', reason: 'reducing' };
    }
    if (firstLook) this.decisionLatency.record(Math.round((this.now() - p.receivedAt) * 1000));
    if (decision.decision === 'fill' && decision.fillSlot > this.slot) {
      this.pending.set(taker.uuid, p);
      return;
    }
    this.pending.delete(taker.uuid);
    p.decidedAt = startedAt;
    if (decision.decision === 'skip') this.finish(p, decision);
    else this.submit(p, decision);
  }

  /**
   * Sends the fill once the taker's signature is known good: the size counts as position from the
   * decision on, so orders decided while the check runs see it.
   */
  private submit(p: Pending, d: FillDecision): void {
    const market = p.taker.market;
    const signed = d.side === 'buy' ? d.baseAmount : -d.baseAmount;
    this.reserved.set(market, (this.reserved.get(market) ?? 0n) + signed);
    const release = () => this.reserved.set(market, (this.reserved.get(market) ?? 0n) - signed);
    if (!p.verifying) {
      this.send(p, d, release);
      return;
    }
    this.track(
      p.verifying.then((ok) => {
        if (ok && !this.stopped) {
          this.send(p, d, release);
          return;
        }
        release();
        if (ok) this.conclude(p, { decision: 'skip', reason: 'stopping' });
        // A forged order's line shows the fill it would have had (an attack aimed at fills).
        else
          this.conclude(
            p,
            { decision: 'skip', reason: 'bad-signature' },
            {
              withheld: {
                price: formatPrice(d.price),
                baseAmount: formatBase(d.baseAmount),
                fillSlot: d.fillSlot,
              },
            },
          );
      }),
    );
  }

  /** Hands the fill to order-management: the only place a fill leaves the maker. */
  private send(p: Pending, d: FillDecision, release: () => void): void {
    const market = p.taker.market;
    const now = this.now();
    const latencyUs = Math.round((now - p.receivedAt) * 1000);
    // From the slot's decision to the fill leaving (with a signature check that had to finish):
    // paper mode adds it to the landing delay in the race with rival makers.
    const decisionUs = Math.round((now - (p.decidedAt ?? now)) * 1000);
    this.fillLatency.record(latencyUs);
    this.counts.attempts++;
    this.track(
      this.deps.orders
        .fillTaker(p.taker, { price: d.price, baseAmount: d.baseAmount, decisionUs })
        .then(
          (result) => {
            if (result.ok) {
              this.counts.filled++;
              const filled = result.fills.reduce((sum, f) => sum + f.baseAmount, 0n);
              this.line(p, d, 'filled', { latencyUs, filledBase: formatBase(filled) });
            } else {
              this.counts.lost++;
              this.count(`rejected.${result.reason}`);
              this.line(p, d, 'rejected', { latencyUs, reason: result.reason, detail: result.message });
            }
          },
          (err: unknown) => {
            this.counts.fillErrors++;
            this.log.error({ err, market, orderId: p.taker.uuid }, 'fill failed');
          },
        )
        .finally(release),
    );
  }

  /** A skip, final once the taker's signature is known: a forgery is a `bad-signature` skip. */
  private finish(p: Pending, d: Skip): void {
    const { verifying } = p;
    if (!verifying) this.conclude(p, d);
    else
      this.track(
        verifying.then((ok) => this.conclude(p, ok ? d : { decision: 'skip', reason: 'bad-signature' })),
      );
  }

  private conclude(p: Pending, d: Skip, extra: Record<string, unknown> = {}): void {
    this.count(d.reason);
    this.line(p, d, 'skipped', { reason: d.reason, ...extra });
  }

  private track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work
      .catch((err: unknown) => this.log.error({ err }, 'taker order handling failed'))
      .finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  private line(
    p: Pending,
    d: Decision | { decision: 'skip'; requiredPrice?: bigint },
    outcome: 'filled' | 'skipped' | 'rejected',
    extra: Record<string, unknown>,
  ): void {
    const { taker } = p;
    const oracle = this.oracles.get(taker.market);
    const fields = {
      market: taker.market,
      orderId: taker.uuid,
      source: taker.source,
      takerSide: taker.side,
      takerBase: formatBase(taker.baseAmount),
      auction: {
        startSlot: taker.auction.startSlot,
        endSlot: taker.auction.startSlot + taker.auction.durationSlots,
        startPrice: formatPrice(taker.auction.startPrice),
        endPrice: formatPrice(taker.auction.endPrice),
      },
      slot: this.slot,
      oracle: oracle && formatPrice(oracle.price),
      decision: d.decision,
      ...(d.decision === 'fill' && {
        price: formatPrice(d.price),
        baseAmount: formatBase(d.baseAmount),
        fillSlot: d.fillSlot,
      }),
      ...(d.requiredPrice !== undefined && { requiredPrice: formatPrice(d.requiredPrice) }),
      latencyUs: Math.round((this.now() - p.receivedAt) * 1000),
      ...extra,
    };
    if (outcome === 'rejected') this.log.warn(fields, 'taker order: fill rejected');
    else this.log.info(fields, outcome === 'filled' ? 'taker order: filled' : 'taker order: skipped');
  }

  private count(reason: OutcomeReason | `rejected.${string}`): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** uuids seen, bounded: the stream's own de-duplication window is the real guard. */
  private remember(uuid: string): void {
    this.handled.add(uuid);
    if (this.handled.size > 10_000) {
      const oldest = this.handled.values().next().value;
      if (oldest !== undefined) this.handled.delete(oldest);
    }
  }
}

/** True when the fill shrinks `position` (signed) without flipping it. */
function shrinks(position: bigint, fill: { side: 'buy' | 'sell'; baseAmount: bigint }): boolean {
  const signed = fill.side === 'buy' ? fill.baseAmount : -fill.baseAmount;
  return (
    position !== 0n &&
    (position > 0n ? signed < 0n : signed > 0n) &&
    fill.baseAmount <= (position < 0n ? -position : position)
  );
}
