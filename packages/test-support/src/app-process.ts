/**
 * An app's `src/main.ts` as the orchestrator runs it: a child Node process with an IPC channel,
 * logs and data in a temp dir, and the messages it sends collected for the test to wait on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildMessage, parseChildMessage } from '@drift/runtime';

export type Heartbeat = Extract<ChildMessage, { type: 'heartbeat' }>;
export const isReady = (m: ChildMessage): m is Extract<ChildMessage, { type: 'ready' }> => m.type === 'ready';
export const isHeartbeat = (m: ChildMessage): m is Heartbeat => m.type === 'heartbeat';

export interface AppProcess {
  child: ChildProcess;
  /** The app's `DRIFT_DATA_DIR` (journals, locks). */
  dataDir: string;
  /** What it wrote to stderr so far (last 4000 characters). */
  stderr(): string;
  /** Every valid message the app sent, in order. */
  messages: ChildMessage[];
  /** The first message after index `from` (default: from now on) that `pick` accepts. */
  next<T extends ChildMessage>(pick: (m: ChildMessage) => m is T, from?: number): Promise<T>;
  next(pick: (m: ChildMessage) => boolean, from?: number): Promise<ChildMessage>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** The app's log file as written so far. */
  log(): string;
  /** Stops relaying risk-manager words (the risk manager fell silent). */
  stopRiskWords(): void;
  /** Kills the process if it still runs and removes the temp dir. */
  dispose(): void;
}

export interface AppProcessOptions {
  app: string;
  /** The app's package directory (where `src/main.ts` is). */
  cwd: string;
  env?: Record<string, string>;
  /** How long `next` waits before it fails (default 20 s). */
  timeoutMs?: number;
  /**
   * Relay a fresh risk-manager word every 500 ms, as a fleet with a live risk manager does (default
   * true): bots fail closed without them. `stopRiskWords` silences them.
   */
  riskWords?: boolean;
  /** Give it the orchestrator's IPC channel (default true); false: as another supervisor runs it. */
  ipc?: boolean;
}

export function startAppProcess({
  app,
  cwd,
  env = {},
  timeoutMs = 20_000,
  riskWords = true,
  ipc = true,
}: AppProcessOptions): AppProcess {
  const dir = mkdtempSync(join(tmpdir(), `${app}-process-`));
  const messages: ChildMessage[] = [];
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe', ...(ipc ? ['ipc' as const] : [])],
    env: { ...process.env, LOG_DIR: join(dir, 'logs'), DRIFT_DATA_DIR: join(dir, 'data'), ...env },
  });
  const dataDir = env.DRIFT_DATA_DIR ?? join(dir, 'data');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.on('message', (raw) => {
    const parsed = parseChildMessage(raw);
    if (parsed.ok) messages.push(parsed.message);
  });
  const sendWord = () => {
    if (child.connected) child.send({ type: 'risk-word', ts: Date.now() }, () => {});
  };
  const words = riskWords && ipc ? setInterval(sendWord, 500) : undefined;
  if (riskWords && ipc) child.once('spawn', sendWord);
  child.once('exit', () => clearInterval(words));
  return {
    child,
    dataDir,
    stderr: () => stderr,
    messages,
    async next(pick: (m: ChildMessage) => boolean, from = messages.length) {
      for (let waited = 0; waited < timeoutMs; waited += 50) {
        const found = messages.slice(from).find(pick);
        if (found) return found;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching message from ${app} (exit code ${child.exitCode}); stderr: ${stderr}`);
    },
    stop() {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      return exited;
    },
    log: () => readFileSync(join(dir, 'logs', `${app}.log`), 'utf8'),
    stopRiskWords: () => clearInterval(words),
    dispose() {
      clearInterval(words);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
