/**
 * The fleet: starts the children in order (each ready before the next), stops them in reverse
 * dependency order (bots, risk, infrastructure, simulator), and relays the risk manager's verdict to
 * every bot the moment it arrives (`halt` / `trading-state` / `resume`). Bots that exit while the
 * fleet is halted are held down and started again on resume. Every app that others stop before is
 * kept told which processes those are (`stop-after`), so that a fleet orphaned by a SIGKILLed
 * orchestrator still stops in that order (bots cancel their orders while the simulator still runs).
 */
import type { FailClosedConfig } from '@drift/config';
import { type TradingStateName, worseState } from '@drift/domain';
import { DriftError, type Logger } from '@drift/logging';
import { type ChildMessage, FAIL_CLOSED_BY, type ParentMessage } from '@drift/runtime';
import { botSummary, summaryLine } from './bot-summary.js';
import type { ChildKind, ChildSpec } from './child-spec.js';
import { type AppSnapshot, SupervisedApp, type SupervisorTimings } from './supervised-app.js';

export interface FleetOptions {
  timings: SupervisorTimings;
  logger: Logger;
  /** Children's stdout/stderr: the terminal (default) or nowhere (tests). */
  stdio?: 'inherit' | 'ignore';
  /** Fail closed on the risk manager's silence; absent only for a paper fleet allowed to run without one. */
  failClosed?: Pick<FailClosedConfig, 'silenceMs' | 'state'>;
}

export interface RiskVerdict {
  state: TradingStateName;
  reason: string;
  /** Who caused it: the risk manager (a breach) or the operator it names (a reset, a halt). */
  by: string;
  breaches: string[];
  since: number;
  /** True while the state comes from the risk manager's silence, not from its word. */
  failClosed?: boolean;
}

export class UnknownAppError extends DriftError {
  override readonly code = 'DRIFT_ERR_FLEET_UNKNOWN_APP';
  override readonly name = 'UnknownAppError';
  constructor(readonly app: string) {
    super(`unknown app ${JSON.stringify(app)}`);
  }
}

export class FleetStartError extends DriftError {
  override readonly code = 'DRIFT_ERR_FLEET_START_FAILED';
  override readonly name = 'FleetStartError';
}

const STOP_ORDER: readonly ChildKind[][] = [['bot'], ['risk'], ['infrastructure'], ['sim']];
/** Slack over the dependents' own stop budget before an orphaned app stops anyway. */
const ORPHAN_WAIT_SLACK_MS = 1_000;

/** Longest stopping these apps can take: bots in parallel, the rest one after another. */
export function stopBudgetOf(specs: readonly Pick<ChildSpec, 'kind' | 'stopTimeoutMs'>[]): number {
  const bots = specs.filter((s) => s.kind === 'bot').map((s) => s.stopTimeoutMs);
  const rest = specs.filter((s) => s.kind !== 'bot').reduce((sum, s) => sum + s.stopTimeoutMs, 0);
  return Math.max(0, ...bots) + rest;
}

export class Fleet {
  readonly apps: SupervisedApp[];
  private readonly byName = new Map<string, SupervisedApp>();
  private verdict: RiskVerdict = {
    state: 'active',
    reason: 'start',
    by: 'orchestrator',
    breaches: [],
    since: Date.now(),
  };
  /** The risk manager's own last verdict, and when it last spoke (any evaluation it completed). */
  private riskWord: RiskVerdict | undefined;
  private riskWordAt: number | null = null;
  private riskWatch: NodeJS.Timeout | undefined;
  private stopping = false;
  /** The last `stop-after` each app's current process was sent (not sent again unchanged). */
  private readonly stopAfterSent = new Map<SupervisedApp, string>();

  constructor(
    specs: readonly ChildSpec[],
    private readonly opts: FleetOptions,
  ) {
    this.apps = specs.map((spec) => new SupervisedApp(spec, opts.timings, opts.logger, opts.stdio));
    for (const app of this.apps) {
      this.byName.set(app.name, app);
      app.on('message', (m) => this.onMessage(app, m));
      app.on('ready', () => this.onReady(app));
      app.on('state', () => this.sendStopAfter());
      app.on('spawn', () => this.sendStopAfter());
      if (app.spec.kind === 'risk')
        app.on('state', (state) => {
          // A restarted risk manager must speak before its word counts again.
          if (state !== 'running') this.riskWordAt = null;
          this.checkRiskWord();
        });
      if (app.spec.kind === 'bot') app.on('spawn', () => this.sendRiskWord(app));
    }
    if (opts.failClosed) {
      const every = Math.max(50, Math.min(1_000, opts.failClosed.silenceMs / 4));
      this.riskWatch = setInterval(() => this.checkRiskWord(), every);
      this.riskWatch.unref();
      this.verdict = this.failClosedVerdict('no word from the risk manager yet');
    }
  }

  /** Age of the risk manager's last word, ms (null: none yet). */
  riskWordAgeMs(now = Date.now()): number | null {
    return this.riskWordAt === null ? null : now - this.riskWordAt;
  }

  get riskVerdict(): RiskVerdict {
    return this.verdict;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  app(name: string): SupervisedApp {
    const app = this.byName.get(name);
    if (!app) throw new UnknownAppError(name);
    return app;
  }

  /**
   * Starts every app in order, each ready before the next. A bot that cannot start is left
   * crash-looping and the rest go on; anything the bots depend on failing stops the whole fleet.
   */
  async start(): Promise<void> {
    for (const app of this.apps) {
      if (this.stopping) return;
      app.start();
      try {
        await app.waitReady();
      } catch (err) {
        if (this.stopping) return;
        if (app.spec.kind === 'bot') {
          this.opts.logger.error({ child: app.name, err }, 'bot did not start: going on without it');
          continue;
        }
        await this.stop();
        throw new FleetStartError(`${app.name} (${app.spec.kind}) did not start: fleet stopped`, {
          cause: err,
        });
      }
    }
    this.opts.logger.info({ apps: this.apps.length }, 'fleet started');
  }

  /** Stops bots first (they cancel their orders), then risk, infrastructure, simulator. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.riskWatch);
    const started = Date.now();
    for (const kinds of STOP_ORDER) {
      const group = this.apps.filter((a) => kinds.includes(a.spec.kind)).reverse();
      if (group.length === 0) continue;
      if (kinds.includes('bot')) await Promise.all(group.map((a) => a.stop('fleet stopping')));
      else for (const app of group) await app.stop('fleet stopping');
    }
    this.opts.logger.info({ stopMs: Date.now() - started }, 'fleet stopped');
    this.logSessionSummary();
  }

  /** One line per bot: its session figures from its last heartbeat (sent after its shutdown steps). */
  private logSessionSummary(): void {
    for (const app of this.apps) {
      if (app.spec.kind !== 'bot') continue;
      const { status, subAccount } = app.snapshot();
      if (!status) {
        this.opts.logger.info({ bot: app.name, subAccount }, `session summary ${app.name}: never reported`);
        continue;
      }
      const summary = botSummary(status);
      this.opts.logger.info(
        { bot: app.name, subAccount, ...summary },
        `session summary ${app.name}: ${summaryLine(summary)}`,
      );
    }
  }

  status(now = Date.now()): AppSnapshot[] {
    return this.apps.map((a) => a.snapshot(now));
  }

  /**
   * Operator reset of a risk halt: asks the risk manager to go back to active (it persists the reset
   * and answers with a `risk-state`, which resumes the bots). Throws if no risk manager is running.
   */
  resetRisk(by: string): void {
    const risk = this.apps.find((a) => a.spec.kind === 'risk' && a.state === 'running');
    if (!risk) throw new Error('no risk manager is running to reset the halt');
    this.opts.logger.warn({ by, from: this.verdict.state }, 'operator reset of the risk state requested');
    risk.send({ type: 'resume', reason: `operator reset by ${by}`, by });
  }

  private onMessage(from: SupervisedApp, message: ChildMessage): void {
    if (message.type !== 'risk-state') return;
    if (from.spec.kind !== 'risk') {
      this.opts.logger.warn(
        { child: from.name },
        'ignored risk-state from an app that is not the risk manager',
      );
      return;
    }
    const word: RiskVerdict = {
      state: message.state,
      reason: message.reason,
      by: message.by ?? from.name,
      breaches: message.breaches,
      since: Date.now(),
    };
    this.riskWord = word;
    this.riskWordAt = Date.now();
    if (from.state === 'running') for (const bot of this.bots()) this.sendRiskWord(bot);
    this.setVerdict(word);
  }

  /** Fails closed while the risk manager is down or silent past the bound; back to its word once it speaks. */
  private checkRiskWord(now = Date.now()): void {
    const guard = this.opts.failClosed;
    if (!guard || this.stopping) return;
    const risk = this.apps.find((a) => a.spec.kind === 'risk');
    const age = this.riskWordAgeMs(now);
    let down: string | undefined;
    if (risk && risk.state !== 'running') down = `risk manager ${risk.state}`;
    else if (age === null) down = 'no word from the risk manager yet';
    else if (age > guard.silenceMs)
      down = `no word from the risk manager for ${age} ms (bound ${guard.silenceMs} ms)`;
    if (down === undefined) {
      if (this.verdict.failClosed && this.riskWord) this.setVerdict({ ...this.riskWord, since: now });
      return;
    }
    // Already failing closed: only the reason (what is wrong now) changes; the bots were told.
    if (this.verdict.failClosed) this.verdict = { ...this.verdict, reason: down };
    else this.setVerdict(this.failClosedVerdict(down));
  }

  private failClosedVerdict(reason: string): RiskVerdict {
    const guard = this.opts.failClosed as Pick<FailClosedConfig, 'state'>;
    const state = worseState(this.riskWord?.state ?? 'active', guard.state);
    return { state, reason, by: FAIL_CLOSED_BY, breaches: [], since: Date.now(), failClosed: true };
  }

  private setVerdict(next: RiskVerdict): void {
    const previous = this.verdict.state;
    this.verdict = next;
    if (next.state === previous) return;
    const log = next.state === 'active' ? this.opts.logger.info : this.opts.logger.error;
    log.call(
      this.opts.logger,
      { from: previous, to: next.state, reason: next.reason, by: next.by },
      next.failClosed ? 'fleet trading state changed: failing closed' : 'fleet trading state changed',
    );
    const relay = this.relayMessage();
    for (const bot of this.bots()) {
      bot.holdRestarts = next.state === 'halted';
      if (bot.state === 'running' || bot.state === 'starting') bot.send(relay);
      if (next.state !== 'halted' && !this.stopping) bot.release();
    }
  }

  /** A bot's own watch on the risk manager: fed only while its word is fresh here. */
  private sendRiskWord(bot: SupervisedApp): void {
    if (!this.opts.failClosed || this.verdict.failClosed || this.riskWordAt === null) return;
    bot.send({ type: 'risk-word', ts: this.riskWordAt });
  }

  /** A (re)started bot learns the fleet's state at once. */
  private onReady(app: SupervisedApp): void {
    if (app.spec.kind === 'bot' && this.verdict.state !== 'active') app.send(this.relayMessage());
  }

  /**
   * Tells each running app that is not a bot which processes stop before it (those after it in start
   * order: stop order is the reverse; bots stop together) and how long they may take, should the
   * orchestrator vanish. Sent whenever one of those pids changes.
   */
  private sendStopAfter(): void {
    this.apps.forEach((app, i) => {
      if (app.spec.kind === 'bot' || app.state !== 'running') return;
      const later = this.apps.slice(i + 1);
      const pids = later.map((a) => a.pid).filter((pid): pid is number => pid !== null);
      const waitMs = stopBudgetOf(later.map((a) => a.spec)) + ORPHAN_WAIT_SLACK_MS;
      const key = `${app.pid}:${pids.join(',')}:${waitMs}`;
      if (this.stopAfterSent.get(app) === key) return;
      if (app.send({ type: 'stop-after', pids, waitMs })) this.stopAfterSent.set(app, key);
    });
  }

  private relayMessage(): ParentMessage {
    const { state, reason, by } = this.verdict;
    if (state === 'halted') return { type: 'halt', reason, by };
    if (state === 'active') return { type: 'resume', reason, by };
    return { type: 'trading-state', state, reason, by };
  }

  private bots(): SupervisedApp[] {
    return this.apps.filter((a) => a.spec.kind === 'bot');
  }
}
