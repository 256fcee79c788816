/**
 * The one process lifecycle every app uses. SIGTERM, SIGINT, a `stop` message, the orchestrator's
 * IPC channel going away and an uncaught error all lead to the same shutdown: steps unwind last-in first-out, logs are
 * flushed, the process exits — and exits anyway once the deadline passes, naming what did not finish.
 * With an IPC channel the app reports `ready`, heartbeats and obeys halt/resume; without one it is silent.
 *
 * When the channel goes away (the orchestrator was SIGKILLed) every child notices at once. An app
 * told `stop-after` (the simulator, infrastructure, risk: what the bots cancel their orders through)
 * keeps serving until those processes are gone, at most `waitMs`, then stops: the orphaned fleet
 * stops in the same order as a normal fleet stop.
 */
import { readFileSync } from 'node:fs';
import type { FailClosedConfig } from '@drift/config';
import { type TradingStateName, worseState } from '@drift/domain';
import { captureConsole, flushLogs, type LoggerLike } from '@drift/logging';
import { FAIL_CLOSED_BY } from './fail-closed.js';
import {
  type AppStatus,
  CHILD_ENV,
  type ChildMessage,
  type ParentMessage,
  parseParentMessage,
  tradingStateOf,
} from './ipc.js';

export type ShutdownHook = (reason: string) => void | Promise<void>;
/** `by`: who asked, when the orchestrator's message says (an operator, `risk-manager`). */
export type TradingStateListener = (state: TradingStateName, reason: string, by?: string) => void;

export interface StartAppOptions {
  appName: string;
  logger: LoggerLike;
  /** Longest a shutdown may take before the process exits anyway. Default: env DRIFT_SHUTDOWN_DEADLINE_MS or 8000. */
  deadlineMs?: number;
  /** Heartbeat interval when an IPC channel exists. Default: env DRIFT_HEARTBEAT_MS or 1000. */
  heartbeatMs?: number;
  /** Makes every log line durable before exit. Default: `flushLogs` from `@drift/logging`. */
  flushLogs?: () => Promise<unknown>;
  /**
   * Routes `console.*` (the Drift SDK's own messages) through `logger`, so they reach the app's
   * file, redacted. Default true.
   */
  captureConsole?: boolean;
}

export interface AppLifecycle {
  readonly appName: string;
  readonly tradingState: TradingStateName;
  /** True once shutdown has begun: stop taking new work. */
  readonly stopping: boolean;
  /** True when an orchestrator is listening on the IPC channel. */
  readonly supervised: boolean;
  /**
   * Registers a shutdown step. Steps run one at a time in reverse registration order, so register
   * in start-up order (connect venue, then start quoting): shutdown stops quoting, cancels, then
   * closes the venue. `label` names the step in logs (default: the function's name).
   */
  onShutdown(fn: ShutdownHook): void;
  onShutdown(label: string, fn: ShutdownHook): void;
  /** Tells the orchestrator the app is up (call once start-up is done). */
  ready(info?: Record<string, unknown>): void;
  /** Merges into the status sent with every heartbeat. */
  setStatus(status: Partial<Omit<AppStatus, 'tradingState'>>): void;
  /** Called on every trading-state change (halt, reducing, resume); returns an unsubscribe. */
  onTradingState(fn: TradingStateListener): () => void;
  /** Changes the trading state locally (e.g. a bot run alone); listeners are told. */
  setTradingState(state: TradingStateName, reason: string, by?: string): void;
  /**
   * Bots: from now on trade only while the orchestrator relays fresh words from the risk manager;
   * past `silenceMs` without one the state falls to `state` (by `FAIL_CLOSED_BY`) until words return.
   */
  requireRiskWord(guard: Pick<FailClosedConfig, 'silenceMs' | 'state'>): void;
  /**
   * A risk word that came another way than the orchestrator (the word file under an exported
   * supervisor): its own time, and the fleet state the risk manager decided.
   */
  hearRiskWord(word: { at: number; state: TradingStateName; reason: string }): void;
  /** Age of the last risk word received, ms (null: none yet). */
  readonly riskWordAgeMs: number | null;
  /** Sends any child message (risk-manager: `risk-state`); false when unsupervised. */
  send(message: ChildMessage): boolean;
  /** Runs the shutdown and exits with `exitCode` (1 if a step failed or the deadline passed). */
  shutdown(reason: string, exitCode?: number): Promise<never>;
}

const DEFAULT_DEADLINE_MS = 8_000;
const DEFAULT_HEARTBEAT_MS = 1_000;
const ORPHAN_POLL_MS = 100;

/**
 * `globalThis[Symbol.for(ORPHAN_HANDLER_KEY)]` is set while `startApp` handles the loss of the
 * orchestrator itself, so the orchestrator's preloaded child guard neither SIGTERMs the app at once
 * (which would skip the wait for the processes in `stop-after`) nor cuts that wait short.
 */
export const ORPHAN_HANDLER_KEY = 'drift.lifecycle.orphanHandler';
export interface OrphanHandler {
  /** Longest this process may now take to stop once orphaned: the `stop-after` wait plus the shutdown deadline. */
  budgetMs(): number;
}

/** Installs signal, IPC and exit handling for this process. Call once, first thing in `main.ts`. */
export function startApp(options: StartAppOptions): AppLifecycle {
  const { appName, logger } = options;
  const deadlineMs = options.deadlineMs ?? envMs(CHILD_ENV.shutdownDeadlineMs, DEFAULT_DEADLINE_MS, logger);
  const heartbeatMs = options.heartbeatMs ?? envMs(CHILD_ENV.heartbeatMs, DEFAULT_HEARTBEAT_MS, logger);
  const flush = options.flushLogs ?? flushLogs;
  const startedAt = Date.now();
  if (options.captureConsole !== false) captureConsole(logger);

  const hooks: { label: string; fn: ShutdownHook }[] = [];
  const listeners = new Set<TradingStateListener>();
  let tradingState: TradingStateName = 'active';
  /** The state the orchestrator (or the app itself) set; `tradingState` is it, made worse while failing closed. */
  let fleetState: TradingStateName = 'active';
  let riskGuard: Pick<FailClosedConfig, 'silenceMs' | 'state'> | undefined;
  let riskWordAt: number | undefined;
  let riskWordStale = false;
  let status: Omit<AppStatus, 'tradingState'> = {
    openOrders: 0,
    fills: 0,
    ordersPlaced: 0,
    pnlQuote: '0',
    counters: {},
  };
  let stopping: Promise<never> | undefined;
  let stoppedAt = 0;
  let stopAfter: { pids: number[]; waitMs: number } = { pids: [], waitMs: 0 };
  let orphaned = false;

  const supervised = typeof process.send === 'function' && process.connected;

  function send(message: ChildMessage): boolean {
    if (!process.send || !process.connected) return false;
    // The callback swallows a channel closed mid-send: the 'disconnect' handler deals with that.
    process.send(message, undefined, {}, () => {});
    return true;
  }

  function heartbeat(): void {
    send({
      type: 'heartbeat',
      app: appName,
      ts: Date.now(),
      uptimeMs: Date.now() - startedAt,
      rssBytes: process.memoryUsage.rss(),
      status: {
        ...status,
        tradingState,
        ...(riskGuard && riskWordAt !== undefined && { riskWordAgeMs: Date.now() - riskWordAt }),
      },
    });
  }

  function setTradingState(state: TradingStateName, reason: string, by?: string): void {
    fleetState = state;
    applyTradingState(reason, by);
  }

  /** Re-checks the risk word's age; a change of freshness changes the state (and says so). */
  function checkRiskWord(): void {
    if (!riskGuard) return;
    const ageMs = riskWordAt === undefined ? null : Date.now() - riskWordAt;
    const stale = ageMs === null || ageMs > riskGuard.silenceMs;
    if (stale === riskWordStale) return;
    riskWordStale = stale;
    const fields = { lastWordAgeMs: ageMs, silenceMs: riskGuard.silenceMs, failState: riskGuard.state };
    let reason: string;
    if (!stale) {
      reason = 'fresh word from the risk manager';
      logger.warn(fields, 'the risk manager speaks again: trading follows the fleet state');
    } else if (ageMs === null) {
      reason = 'no word from the risk manager yet';
      logger.warn(fields, 'no word from the risk manager yet: not adding risk until one comes (fail closed)');
    } else {
      reason = `no word from the risk manager for ${ageMs} ms (bound ${riskGuard.silenceMs} ms)`;
      logger.error(
        fields,
        'the risk manager fell silent: not adding risk, cancelling resting orders (fail closed)',
      );
    }
    applyTradingState(reason, FAIL_CLOSED_BY);
  }

  function applyTradingState(reason: string, by?: string): void {
    const state = riskGuard && riskWordStale ? worseState(fleetState, riskGuard.state) : fleetState;
    if (state === tradingState) return;
    const from = tradingState;
    tradingState = state;
    logger.warn({ from, to: state, reason, ...(by !== undefined && { by }) }, 'trading state changed');
    for (const fn of listeners) {
      try {
        fn(state, reason, by);
      } catch (err) {
        logger.error({ err }, 'trading-state listener failed');
      }
    }
    heartbeat(); // the orchestrator sees the new state without waiting a beat
  }

  function onParentMessage(raw: unknown): void {
    const parsed = parseParentMessage(raw);
    if (!parsed.ok) {
      logger.warn({ error: parsed.error }, 'ignored a malformed message from the orchestrator');
      return;
    }
    const message: ParentMessage = parsed.message;
    if (message.type === 'stop') {
      void shutdown(`orchestrator: ${message.reason}`, 0);
      return;
    }
    if (message.type === 'stop-after') {
      stopAfter = { pids: message.pids, waitMs: message.waitMs };
      return;
    }
    if (message.type === 'risk-word') {
      riskWordAt = Date.now();
      checkRiskWord();
      return;
    }
    const change = tradingStateOf(message);
    if (change) setTradingState(change.state, `orchestrator: ${change.reason}`, change.by);
  }

  async function runShutdown(reason: string, exitCode: number): Promise<never> {
    logger.info({ reason, hooks: hooks.length, deadlineMs }, 'shutting down');
    clearInterval(beat);
    clearInterval(riskWatch);
    let failed = false;
    let current: string | undefined;
    const pending = hooks.map((h) => h.label).reverse();

    const deadline = setTimeout(() => {
      logger.fatal(
        { deadlineMs, unfinished: pending, running: current },
        'shutdown deadline passed: exiting with steps unfinished',
      );
      void bounded(flush(), 500).finally(() => process.exit(exitCode || 1));
    }, deadlineMs);

    for (const hook of [...hooks].reverse()) {
      current = hook.label;
      pending.shift();
      try {
        await hook.fn(reason);
        logger.debug({ step: hook.label }, 'shutdown step done');
      } catch (err) {
        failed = true;
        logger.error({ err, step: hook.label }, 'shutdown step failed');
      }
    }
    current = undefined;
    // The figures the steps left (fills while cancelling, final PnL) reach the orchestrator's summary.
    heartbeat();
    const code = exitCode || (failed ? 1 : 0);
    logger.info({ exitCode: code, ms: Date.now() - stoppedAt }, 'stopped');
    try {
      await flush();
    } catch {
      // Nothing left to report it to; the exit code still tells.
    }
    clearTimeout(deadline);
    process.exit(code);
  }

  /** The orchestrator is gone: stop now, or once the processes that stop before this one have. */
  function onOrphaned(): void {
    if (orphaned || stoppedAt > 0) return;
    orphaned = true;
    const reason = 'orchestrator gone (IPC channel closed)';
    const { pids, waitMs } = stopAfter;
    if (!pids.some(isRunning)) {
      void shutdown(reason, 0);
      return;
    }
    logger.warn(
      { waitingFor: pids.filter(isRunning), waitMs },
      'orchestrator gone: stopping once the processes that stop before this one have exited',
    );
    const giveUpAt = Date.now() + waitMs;
    // Not unref'd: the process must stay up (serving those processes) until they are gone.
    const poll = setInterval(() => {
      if (stoppedAt > 0) return clearInterval(poll);
      const left = pids.filter(isRunning);
      if (left.length > 0 && Date.now() < giveUpAt) return;
      clearInterval(poll);
      if (left.length > 0)
        logger.warn({ stillRunning: left, waitMs }, 'stopped waiting for them: stopping anyway');
      void shutdown(reason, 0);
    }, ORPHAN_POLL_MS);
  }

  function shutdown(reason: string, exitCode = 0): Promise<never> {
    if (stopping) {
      logger.warn({ reason }, 'already shutting down');
      return stopping;
    }
    stoppedAt = Date.now(); // before the first step runs: steps read `stopping`
    stopping = runShutdown(reason, exitCode);
    return stopping;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }
  // A crash still cancels orders on its way out (within the deadline), then exits 1 for a restart.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandled rejection', 1);
  });
  const beat = setInterval(heartbeat, heartbeatMs);
  beat.unref();
  let riskWatch: NodeJS.Timeout | undefined;
  if (supervised) {
    process.on('message', onParentMessage);
    // The parent died or closed the channel: nobody supervises us, stop cleanly rather than trade blind.
    process.on('disconnect', onOrphaned);
    const handler: OrphanHandler = { budgetMs: () => stopAfter.waitMs + deadlineMs };
    (globalThis as Record<symbol, unknown>)[Symbol.for(ORPHAN_HANDLER_KEY)] = handler;
    // Listening must not keep an otherwise finished process alive.
    process.channel?.unref();
    heartbeat();
  }

  return {
    appName,
    get tradingState() {
      return tradingState;
    },
    get stopping() {
      return stoppedAt > 0;
    },
    supervised,
    onShutdown(labelOrFn: string | ShutdownHook, maybeFn?: ShutdownHook) {
      const fn = typeof labelOrFn === 'function' ? labelOrFn : maybeFn;
      if (!fn) throw new TypeError('onShutdown needs a function');
      const label = typeof labelOrFn === 'string' ? labelOrFn : fn.name || `step ${hooks.length + 1}`;
      hooks.push({ label, fn });
    },
    ready(info = {}) {
      logger.info({ app: appName, pid: process.pid, ...info }, 'ready');
      send({ type: 'ready', app: appName, pid: process.pid, info });
    },
    setStatus(next) {
      status = { ...status, ...next };
    },
    onTradingState(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    setTradingState,
    requireRiskWord(guard) {
      riskGuard = guard;
      checkRiskWord();
      riskWatch ??= setInterval(checkRiskWord, Math.max(50, Math.min(1_000, guard.silenceMs / 4)));
      riskWatch.unref();
    },
    hearRiskWord(word) {
      // An older word than the last one heard (the same file read twice) only ages.
      if (riskWordAt === undefined || word.at > riskWordAt) {
        riskWordAt = word.at;
        if (word.state !== fleetState)
          setTradingState(word.state, `risk manager: ${word.reason}`, 'risk-manager');
      }
      checkRiskWord();
    },
    get riskWordAgeMs() {
      return riskWordAt === undefined ? null : Date.now() - riskWordAt;
    },
    send,
    shutdown,
  };
}

function envMs(name: string, fallback: number, logger: LoggerLike): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (Number.isSafeInteger(value) && value > 0) return value;
  logger.warn(
    { env: name, value: text, using: fallback },
    'ignored an invalid env value: not a positive integer of ms',
  );
  return fallback;
}

/** True while `pid` runs; an exited process not yet reaped by its new parent (a zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat[stat.lastIndexOf(')') + 2];
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no procfs (macOS): the signal check is all there is
  }
}

function bounded(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);
}
