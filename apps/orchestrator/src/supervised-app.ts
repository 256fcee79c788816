/**
 * One supervised child process: spawn with an IPC channel, wait for `ready`, watch heartbeats,
 * restart on unexpected exit with backoff (or give up when crash-looping), stop with SIGTERM then
 * SIGKILL after the app's timeout. The fleet decides order and halts; this class only keeps one
 * app alive and reports what happened.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RestartPolicy } from '@drift/config';
import type { Logger } from '@drift/logging';
import { type AppStatus, type ChildMessage, type ParentMessage, parseChildMessage } from '@drift/runtime';
import { nodeFlagsFor } from './app-command.js';
import type { ChildSpec } from './child-spec.js';
import { RestartTracker } from './restart-policy.js';

export type AppState =
  /** Never started, or stopped on purpose. */
  | 'stopped'
  | 'starting'
  | 'running'
  /** Exited unexpectedly; a restart is scheduled. */
  | 'backoff'
  | 'stopping'
  /** Restarted too often within the window: left down until an operator starts it. */
  | 'crash-looping'
  /** Exited while the fleet is halted by risk: restarted on resume, not before. */
  | 'held';

export interface AppSnapshot {
  name: string;
  kind: ChildSpec['kind'];
  state: AppState;
  pid: number | null;
  /** Since the current process reported ready. */
  uptimeMs: number | null;
  restarts: number;
  failedStarts: number;
  heartbeats: number;
  lastHeartbeatAt: number | null;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
  /** Next restart time while in backoff. */
  restartAt: number | null;
  subAccount: number | null;
  /** From the last heartbeat (bots and risk report trading state, PnL, orders, fills). */
  status: AppStatus | null;
  info: Record<string, unknown>;
}

export interface SupervisorTimings {
  restart: RestartPolicy;
  heartbeat: { intervalMs: number; timeoutMs: number };
  readyTimeoutMs: number;
}

export interface SupervisedAppEvents {
  state: [AppState];
  ready: [];
  message: [ChildMessage];
  exit: [{ code: number | null; signal: string | null; expected: boolean }];
  restart: [];
  heartbeat: [];
  /** A process was forked (its pid is known from now on). */
  spawn: [number];
}

const guardPath = fileURLToPath(
  new URL(`./child-guard${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

export class SupervisedApp extends EventEmitter<SupervisedAppEvents> {
  private readonly logger: Logger;
  private child: ChildProcess | undefined;
  private _state: AppState = 'stopped';
  private readonly tracker: RestartTracker;
  private restarts = 0;
  private heartbeats = 0;
  private startedAt = 0;
  private readyAt: number | null = null;
  private lastBeat: number | null = null;
  private lastExit: AppSnapshot['lastExit'] = null;
  private lastStatus: AppStatus | null = null;
  private info: Record<string, unknown> = {};
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAt: number | null = null;
  private readyTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** Set while we are the ones ending the process (stop, or a kill for a missed heartbeat). */
  private ending: { expected: boolean; done: Promise<void> } | undefined;
  /** Held back instead of restarted (fleet halted). */
  holdRestarts = false;

  constructor(
    readonly spec: ChildSpec,
    private readonly timings: SupervisorTimings,
    logger: Logger,
    private readonly stdio: 'inherit' | 'ignore' = 'inherit',
  ) {
    super();
    // `app` is the logging package's own column (the orchestrator); the supervised one is `child`.
    this.logger = logger.child({ child: spec.name });
    this.tracker = new RestartTracker(timings.restart);
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): AppState {
    return this._state;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the app (operator start: clears a crash loop). No-op if it is already up or starting. */
  start(): void {
    if (this._state === 'starting' || this._state === 'running' || this._state === 'stopping') return;
    this.clearRestartTimer();
    this.tracker.reset();
    this.spawn();
  }

  /** Resolves when the app is running; rejects if it ends crash-looping or stopped instead. */
  waitReady(): Promise<void> {
    if (this._state === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (state: AppState) => {
        if (state === 'running') {
          done();
          resolve();
        } else if (state === 'crash-looping' || state === 'stopped' || state === 'held') {
          done();
          reject(new Error(`${this.name} did not become ready (${state})`));
        }
      };
      const done = () => this.off('state', onState);
      this.on('state', onState);
    });
  }

  /** Stops on purpose: SIGTERM, then SIGKILL after the app's stop timeout. Not restarted. */
  async stop(reason = 'stop requested'): Promise<void> {
    this.clearRestartTimer();
    if (!this.child) {
      if (this._state !== 'crash-looping') this.setState('stopped');
      return;
    }
    this.logger.info({ pid: this.child.pid, reason }, 'stopping app');
    await this.terminate(true);
  }

  /** Stop then start (operator restart). */
  async restart(): Promise<void> {
    await this.stop('restart requested');
    this.restarts += 1;
    this.emit('restart');
    this.start();
  }

  /** Sends a message to the child if it is connected. */
  send(message: ParentMessage): boolean {
    const child = this.child;
    if (!child?.connected) return false;
    child.send(message, (err) => {
      if (!err) return;
      // A child that exits while a message is on its way (Ctrl-C on a terminal reaches every
      // process of the fleet at once) breaks the pipe: its exit is reported, the lost message is not news.
      const exiting = !child.connected || this._state === 'stopping' || this._state === 'stopped';
      if (exiting)
        this.logger.debug({ err, type: message.type }, 'message not delivered: the app is exiting');
      else this.logger.warn({ err, type: message.type }, 'could not send to app');
    });
    return true;
  }

  /** Resumes an app held while the fleet was halted. */
  release(): void {
    if (this._state !== 'held') return;
    this.restarts += 1;
    this.emit('restart');
    this.spawn();
  }

  snapshot(now = Date.now()): AppSnapshot {
    return {
      name: this.name,
      kind: this.spec.kind,
      state: this._state,
      pid:
        this._state === 'running' || this._state === 'starting' || this._state === 'stopping'
          ? this.pid
          : null,
      uptimeMs: this._state === 'running' && this.readyAt !== null ? now - this.startedAt : null,
      restarts: this.restarts,
      failedStarts: this.tracker.failedStarts,
      heartbeats: this.heartbeats,
      lastHeartbeatAt: this.lastBeat,
      lastExit: this.lastExit,
      restartAt: this.restartAt,
      subAccount: this.spec.subAccount ?? null,
      status: this.lastStatus,
      info: this.info,
    };
  }

  private setState(state: AppState): void {
    if (this._state === state) return;
    this._state = state;
    this.emit('state', state);
  }

  private spawn(): void {
    const { spec } = this;
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
    // The API token is the orchestrator's secret; no child needs it.
    delete env.ORCHESTRATOR_TOKEN;
    this.startedAt = Date.now();
    this.readyAt = null;
    this.lastBeat = null;
    this.info = {};
    this.setState('starting');
    let child: ChildProcess;
    try {
      child = fork(spec.entry, [], {
        cwd: spec.cwd,
        env,
        // Short GC pauses (in the flags): logging's and the bots' event-loop delay depend on them.
        execPath: process.execPath,
        execArgv: [...nodeFlagsFor(spec.entry), '--import', guardPath],
        stdio: ['ignore', this.stdio, this.stdio, 'ipc'],
        serialization: 'json',
        // Own process group: a Ctrl-C in the terminal reaches only the orchestrator, which then stops
        // the fleet in order (bots before the simulator they cancel through), not everyone at once.
        detached: true,
      });
    } catch (err) {
      this.logger.error({ err }, 'could not spawn app');
      this.onExit(null, null);
      return;
    }
    this.child = child;
    this.logger.info({ pid: child.pid, entry: spec.entry }, 'app spawned');
    if (child.pid !== undefined) this.emit('spawn', child.pid);
    child.on('message', (raw) => this.onMessage(child, raw));
    child.on('error', (err) => this.logger.error({ err }, 'app process error'));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.onExit(code, signal);
    });
    this.readyTimer = setTimeout(() => {
      if (this.child !== child || this._state !== 'starting') return;
      this.logger.error({ readyTimeoutMs: this.timings.readyTimeoutMs }, 'app not ready in time: killing it');
      void this.terminate(false);
    }, this.timings.readyTimeoutMs);
  }

  private onMessage(child: ChildProcess, raw: unknown): void {
    if (this.child !== child) return;
    const parsed = parseChildMessage(raw);
    if (!parsed.ok) {
      this.logger.warn({ error: parsed.error }, 'ignored malformed message from app');
      return;
    }
    const message = parsed.message;
    const now = Date.now();
    if (message.type === 'ready') {
      if (this._state !== 'starting') return;
      clearTimeout(this.readyTimer);
      this.readyAt = now;
      this.lastBeat = now;
      this.info = message.info;
      this.logger.info({ pid: child.pid, startupMs: now - this.startedAt }, 'app ready');
      this.startWatchdog(child);
      this.setState('running');
      this.emit('ready');
    } else if (message.type === 'heartbeat') {
      this.lastBeat = now;
      this.heartbeats += 1;
      this.lastStatus = message.status;
      this.emit('heartbeat');
    }
    this.emit('message', message);
  }

  private startWatchdog(child: ChildProcess): void {
    clearInterval(this.watchdog);
    const { intervalMs, timeoutMs } = this.timings.heartbeat;
    this.watchdog = setInterval(
      () => {
        if (this.child !== child || this._state !== 'running' || this.lastBeat === null) return;
        const silentMs = Date.now() - this.lastBeat;
        if (silentMs <= timeoutMs) return;
        this.logger.error({ pid: child.pid, silentMs }, 'app missed its heartbeats: restarting it');
        void this.terminate(false);
      },
      Math.max(50, Math.min(intervalMs, timeoutMs / 4)),
    );
  }

  /** SIGTERM, SIGKILL after the stop timeout; resolves once the process is gone. */
  private terminate(expected: boolean): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    if (this.ending) {
      if (expected) this.ending.expected = true;
      return this.ending.done;
    }
    clearTimeout(this.readyTimer);
    clearInterval(this.watchdog);
    if (expected) this.setState('stopping');
    const done = new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => {
        this.logger.warn(
          { pid: child.pid, stopTimeoutMs: this.spec.stopTimeoutMs },
          'app did not stop in time: SIGKILL',
        );
        child.kill('SIGKILL');
      }, this.spec.stopTimeoutMs);
      child.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
    });
    this.ending = { expected, done };
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return done;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    const expected = this.ending?.expected ?? false;
    const uptimeMs = now - this.startedAt;
    clearTimeout(this.readyTimer);
    clearInterval(this.watchdog);
    this.child = undefined;
    this.ending = undefined;
    this.lastExit = { code, signal, at: now };
    this.emit('exit', { code, signal, expected });
    if (expected) {
      this.logger.info({ code, signal }, 'app stopped');
      this.setState('stopped');
      return;
    }
    if (this.holdRestarts) {
      this.logger.warn({ code, signal }, 'app exited while the fleet is halted: not restarted until resume');
      this.setState('held');
      return;
    }
    const decision = this.tracker.onExit(now, uptimeMs);
    if (!decision.restart) {
      this.logger.error(
        {
          app: this.name,
          code,
          signal,
          maxRestarts: this.timings.restart.maxRestarts,
          windowMs: this.timings.restart.windowMs,
        },
        'ALERT app is crash-looping: not restarting it (start it again from the API once fixed)',
      );
      this.setState('crash-looping');
      return;
    }
    this.logger.warn(
      { code, signal, uptimeMs, delayMs: decision.delayMs },
      'app exited unexpectedly: restarting',
    );
    this.restartAt = now + decision.delayMs;
    this.setState('backoff');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartAt = null;
      if (this.holdRestarts) {
        this.logger.warn({}, 'fleet halted during the backoff: not restarted until resume');
        this.setState('held');
        return;
      }
      this.restarts += 1;
      this.emit('restart');
      this.spawn();
    }, decision.delayMs);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartAt = null;
  }
}
