/**
 * The fleet: starts the children in order (each ready before the next), stops them in reverse
 * dependency order (bots, risk, infrastructure, simulator), and relays the risk manager's verdict to
 * every bot the moment it arrives (`halt` / `trading-state` / `resume`). Bots that exit while the
 * fleet is halted are held down and started again on resume. Every app that others stop before is
 * kept told which processes those are (`stop-after`), so that a fleet orphaned by a SIGKILLed
 * orchestrator still stops in that order (bots cancel their orders while the simulator still runs).
 */
import type { ChildMessage, ParentMessage, TradingStateName } from '@drift/core';
import type { Logger } from '@drift/logging';
import type { ChildKind, ChildSpec } from './child-spec.js';
import { type AppSnapshot, SupervisedApp, type SupervisorTimings } from './supervised-app.js';

export interface FleetOptions {
  timings: SupervisorTimings;
  logger: Logger;
  /** Children's stdout/stderr: the terminal (default) or nowhere (tests). */
  stdio?: 'inherit' | 'ignore';
}

export interface RiskVerdict {
  state: TradingStateName;
  reason: string;
  /** Who caused it: the risk manager (a breach) or the operator it names (a reset, a halt). */
  by: string;
  breaches: string[];
  since: number;
}

export class UnknownAppError extends Error {
  override readonly name = 'UnknownAppError';
  constructor(readonly app: string) {
    super(`unknown app ${JSON.stringify(app)}`);
  }
}

export class FleetStartError extends Error {
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
    }
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
    const started = Date.now();
    for (const kinds of STOP_ORDER) {
      const group = this.apps.filter((a) => kinds.includes(a.spec.kind)).reverse();
      if (group.length === 0) continue;
      if (kinds.includes('bot')) await Promise.all(group.map((a) => a.stop('fleet stopping')));
      else for (const app of group) await app.stop('fleet stopping');
    }
    this.opts.logger.info({ stopMs: Date.now() - started }, 'fleet stopped');
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
    const previous = this.verdict.state;
    this.verdict = {
      state: message.state,
      reason: message.reason,
      by: message.by ?? from.name,
      breaches: message.breaches,
      since: Date.now(),
    };
    if (message.state === previous) return;
    const log = message.state === 'active' ? this.opts.logger.info : this.opts.logger.error;
    log.call(
      this.opts.logger,
      { from: previous, to: message.state, reason: message.reason, by: this.verdict.by },
      'fleet trading state changed',
    );
    const relay = this.relayMessage();
    for (const bot of this.bots()) {
      bot.holdRestarts = message.state === 'halted';
      if (bot.state === 'running' || bot.state === 'starting') bot.send(relay);
      if (message.state !== 'halted' && !this.stopping) bot.release();
    }
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
