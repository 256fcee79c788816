/**
 * The risk service: polls every sub-account of the fleet through the venue, evaluates @drift/domain's
 * limits (`evaluateRisk`, the same module order-management's pre-trade hook calls) and drives the
 * fleet's trading state. Escalation is automatic (active -> reducing -> halted); a halt cancels every
 * open order of every sub-account itself, is persisted and only an operator reset lowers it.
 * `reducing` clears by itself once no breach calls for it (it never cancelled anything).
 */
import {
  ACCOUNT_SOURCE,
  type Breach,
  type DataFreshness,
  evaluateRisk,
  type LimitSet,
  type OraclePrice,
  oracleSource,
  type RiskSnapshot,
  type TradingStateName,
  type Venue,
  worstState,
} from '@drift/domain';
import type { Logger } from '@drift/logging';
import { FailureStreak } from '@drift/runtime';
import type { AlertDispatcher } from './alerts.js';
import { loadRiskState, type PersistedRiskState, saveRiskState } from './state-store.js';

export interface RiskMonitorOptions {
  venue: Venue;
  limits: LimitSet;
  /** Where the trading state and the day's start equity persist. */
  statePath: string;
  alerts: AlertDispatcher;
  logger: Logger;
  /** Wall clock for `since` stamps (tests pin it). */
  clock?: () => Date;
  /** The trading day starts at this UTC hour (0: midnight). */
  dayStartUtcHour?: number;
  /** Fed every clock and oracle reading an evaluation makes: the age of what the limits judge. */
  freshness?: DataFreshness;
  /** Told on every state change (main.ts sends @drift/runtime's `risk-state` IPC message). */
  onStateChange?: (change: StateChange) => void;
  /**
   * Told after every evaluation that completed (main.ts sends it as the fleet's fresh word: bots
   * fail closed without one). Not told when an evaluation fails, e.g. on an unreadable state file.
   */
  onEvaluated?: (verdict: {
    state: TradingStateName;
    reason: string;
    by: string;
    breaches: string[];
  }) => void;
}

export interface StateChange {
  state: TradingStateName;
  previous: TradingStateName;
  reason: string;
  breaches: string[];
  /** Venue time of the evaluation that caused it, ms. */
  ts: number;
}

const RANK: Record<TradingStateName, number> = { active: 0, reducing: 1, halted: 2 };
const MINUTE_MS = 60_000;

export class RiskMonitor {
  private readonly log: Logger;
  private persisted: PersistedRiskState;
  private breaches: Breach[] = [];
  /** Order ids seen per sub-account with their venue creation time, for the order rate. */
  private readonly orderTimes = new Map<number, Map<string, number>>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** A venue restart fails a few evaluations with a connection error: WARN, ERROR only if it lasts. */
  private readonly failures = new FailureStreak();
  /** The halt's cancel-all: retried at every poll while halted, so a venue restart is a WARN. */
  private readonly cancelFailures = new FailureStreak();
  private running: Promise<void> | undefined;

  constructor(private readonly options: RiskMonitorOptions) {
    this.log = options.logger.child({ component: 'risk-manager' });
    this.persisted = loadRiskState(options.statePath) ?? {
      state: 'active',
      reason: 'initial',
      by: 'risk-manager',
      since: this.now().toISOString(),
      breaches: [],
    };
    if (this.persisted.state !== 'active') {
      this.log.warn(
        { state: this.persisted.state, reason: this.persisted.reason, since: this.persisted.since },
        'persisted trading state restored: stays until an operator reset',
      );
    }
  }

  get state(): TradingStateName {
    return this.persisted.state;
  }

  get currentBreaches(): readonly Breach[] {
    return this.breaches;
  }

  /** Counts the fleet's order placements from venue events (for the order rate). */
  listen(): void {
    this.unsubscribe ??= this.options.venue.subscribe((event) => {
      if (event.type === 'order')
        this.noteOrder(event.order.subAccount, event.order.orderId, event.order.createdAt);
    });
  }

  /** Listens, then evaluates every `intervalMs` (wall clock). */
  start(intervalMs: number): void {
    this.listen();
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.evaluate().then(
          () => {
            this.failures.succeeded();
            const { state, reason, by } = this.persisted;
            this.options.onEvaluated?.({ state, reason, by, breaches: this.breaches.map((b) => b.message) });
          },
          (err: unknown) =>
            this.log[this.failures.failed(err)](
              { err, failingForMs: this.failures.failingForMs() },
              'risk evaluation failed',
            ),
        );
        if (this.timer) tick();
      }, intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running;
  }

  /** Records an order placement (venue events call it; exposed for venues without order events). */
  noteOrder(subAccount: number, orderId: string, createdAt: number): void {
    const seen = this.orderTimes.get(subAccount) ?? new Map<string, number>();
    this.orderTimes.set(subAccount, seen);
    if (!seen.has(orderId)) seen.set(orderId, createdAt);
  }

  /** One evaluation of the whole fleet; serialised so two polls never race on the state. */
  evaluate(): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.evaluateOnce());
    this.running = run.catch(() => {});
    return run;
  }

  /**
   * Operator reset (the orchestrator's `resume`). The daily-loss base restarts from the current
   * equity: the operator has accepted the loss, and the old base would halt again at once.
   */
  reset(by: string, reason = 'operator reset'): void {
    const previous = this.persisted.state;
    this.breaches = [];
    const { day: _day, dayStartEquity: _equity, ...rest } = this.persisted;
    this.persisted = rest;
    this.persist({ state: 'active', reason, by, breaches: [] });
    this.log.warn({ by, previous, reason }, 'trading state reset by operator');
    this.announce({ state: 'active', previous, reason, breaches: [], ts: Date.now() }, by);
  }

  /** Operator halt (the orchestrator's API): same as a breach halt, with who asked. */
  async halt(by: string, reason: string): Promise<void> {
    await this.running;
    if (this.persisted.state === 'halted') return;
    const previous = this.persisted.state;
    this.persist({ state: 'halted', reason, by, breaches: [] });
    this.announce({ state: 'halted', previous, reason, breaches: [], ts: Date.now() }, by);
    await this.cancelEverything();
  }

  /** A reset written to the state file by the reset CLI while this monitor runs. */
  private adoptFileReset(): void {
    const disk = loadRiskState(this.options.statePath);
    if (disk?.state !== 'active' || this.persisted.state === 'active') return;
    if (disk.since === this.persisted.since && disk.by === this.persisted.by) return;
    const previous = this.persisted.state;
    this.persisted = disk; // the reset dropped the day's base too (see `reset`)
    this.log.warn(
      { by: disk.by, previous, reason: disk.reason },
      'trading state reset by operator (state file)',
    );
    this.announce({ state: 'active', previous, reason: disk.reason, breaches: [], ts: Date.now() }, disk.by);
  }

  private async evaluateOnce(): Promise<void> {
    this.adoptFileReset();
    const snapshot = await this.snapshot();
    const verdict = evaluateRisk(this.options.limits, snapshot);
    this.breaches = verdict.breaches;
    const previous = this.persisted.state;
    // Halted never lowers by itself; reducing clears when nothing calls for it any more.
    const next = previous === 'halted' ? 'halted' : worstState(verdict.breaches);
    if (next === previous) {
      if (next === 'halted') await this.cancelStragglers();
      return;
    }
    const lines = verdict.breaches.map((b) => b.message);
    const cause = verdict.breaches.find((b) => b.severity === next);
    const reason = RANK[next] > RANK[previous] ? (cause?.message ?? next) : 'breaches cleared';
    this.persist({ state: next, reason, by: 'risk-manager', breaches: lines });
    // Told first, so the orchestrator relays the halt to the bots while the orders are cancelled here.
    this.announce({ state: next, previous, reason, breaches: lines, ts: snapshot.now }, 'risk-manager');
    if (next === 'halted') await this.cancelEverything();
  }

  private async cancelEverything(): Promise<void> {
    const { venue } = this.options;
    const subs = await venue.subAccounts();
    const results = await Promise.allSettled(subs.map((subAccount) => venue.cancelAllOrders({ subAccount })));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled')
        this.log.warn({ subAccount: subs[i], cancelled: r.value }, 'halt: orders cancelled');
      else
        this.log[this.cancelFailures.failed(r.reason)](
          { subAccount: subs[i], err: r.reason, failingForMs: this.cancelFailures.failingForMs() },
          'halt: cancel-all failed; retried at every poll while halted',
        );
    });
    if (results.every((r) => r.status === 'fulfilled')) this.cancelFailures.succeeded();
  }

  /** While halted, an order that slipped in (a bot not yet told) is cancelled at the next poll. */
  private async cancelStragglers(): Promise<void> {
    const { venue } = this.options;
    for (const subAccount of await venue.subAccounts()) {
      if ((await venue.getOpenOrders({ subAccount })).length === 0) continue;
      const cancelled = await venue.cancelAllOrders({ subAccount });
      this.log.warn({ subAccount, cancelled }, 'halted: cancelled orders placed after the halt');
    }
    this.cancelFailures.succeeded();
  }

  private announce(change: StateChange, by: string): void {
    this.options.alerts.notify({
      state: change.state,
      previous: change.previous,
      reason: change.reason,
      by,
      at: this.now(),
      breaches: change.breaches,
    });
    this.options.onStateChange?.(change);
  }

  private persist(fields: Pick<PersistedRiskState, 'state' | 'reason' | 'by' | 'breaches'>): void {
    this.persisted = { ...this.persisted, ...fields, since: this.now().toISOString() };
    saveRiskState(this.options.statePath, this.persisted);
  }

  private async snapshot(): Promise<RiskSnapshot> {
    const { venue } = this.options;
    const [clock, subs] = await Promise.all([venue.clock(), venue.subAccounts()]);
    const now = clock.ts;
    this.options.freshness?.clockRead(clock);
    const accounts = await Promise.all(subs.map((s) => venue.getAccount(s)));
    if (this.options.freshness) {
      // The accounts are as fresh as the least confirmed view among them.
      const asOf = await Promise.all(subs.map((s) => venue.accountAsOf(s)));
      if (asOf.length > 0) this.options.freshness.observe(ACCOUNT_SOURCE, Math.min(...asOf.map((a) => a.ts)));
    }
    const markets = new Set(Object.keys(this.options.limits.maxPositionBase));
    for (const a of accounts) for (const p of a.positions) if (p.baseAmount !== 0n) markets.add(p.market);
    const oracles: Record<string, OraclePrice> = {};
    await Promise.all(
      [...markets].map(async (m) => {
        oracles[m] = await venue.getOraclePrice(m);
        this.options.freshness?.observe(oracleSource(m), oracles[m].ts);
      }),
    );
    const equity = accounts.reduce((sum, a) => sum + a.equity, 0n);
    return {
      now,
      accounts,
      oracles,
      dayStartEquity: this.dayStartEquity(now, equity),
      ordersLastMinute: this.ordersSince(now),
    };
  }

  /**
   * The first equity seen on a trading day (venue time, starting at `dayStartUtcHour` UTC) is that
   * day's start; persisted so a restart mid-day keeps the base.
   */
  private dayStartEquity(now: number, equity: bigint): bigint {
    const day = new Date(now - (this.options.dayStartUtcHour ?? 0) * 3_600_000).toISOString().slice(0, 10);
    if (this.persisted.day === day && this.persisted.dayStartEquity !== undefined) {
      return BigInt(this.persisted.dayStartEquity);
    }
    this.persisted = { ...this.persisted, day, dayStartEquity: equity.toString() };
    saveRiskState(this.options.statePath, this.persisted);
    this.log.info({ day, dayStartEquity: equity.toString() }, 'new trading day: start equity recorded');
    return equity;
  }

  private ordersSince(now: number): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [sub, seen] of this.orderTimes) {
      for (const [id, ts] of seen) if (ts <= now - MINUTE_MS) seen.delete(id);
      out[sub] = seen.size;
    }
    return out;
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}
