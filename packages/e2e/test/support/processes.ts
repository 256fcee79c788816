/** Child processes of the suite: the real entry points, each in its own process group, all killed at the end. */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../../..');
const started = new Set<ChildProcess>();

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

/** Node args that run a workspace TypeScript entry from source. */
export function nodeArgs(entry: string): string[] {
  return entry.endsWith('.mjs')
    ? [resolve(ROOT, entry)]
    : ['--conditions=source', '--import', 'tsx', resolve(ROOT, entry)];
}

/** The package dir of an entry (`apps/x/src/main.ts` → `apps/x`): its cwd, so `tsx` resolves. */
export function packageDirOf(entry: string): string {
  const [top, name] = entry.split('/');
  return resolve(ROOT, `${top}/${name}`);
}

/** Starts an entry as a process group leader, IPC channel optional. */
export function startEntry(
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
  opts: { ipc?: boolean; onOutput?: (chunk: string) => void } = {},
): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs(entry), ...args], {
    cwd: packageDirOf(entry),
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
    detached: true,
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  child.stdout?.on('data', (d: Buffer) => opts.onOutput?.(d.toString()));
  child.stderr?.on('data', (d: Buffer) => opts.onOutput?.(d.toString()));
  return child;
}

/** Runs an entry to its end (or `timeoutMs`, then its group is killed). */
export function runEntry(
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<RunResult> {
  let output = '';
  const child = startEntry(entry, args, env, { onOutput: (c) => (output += c) });
  return new Promise((done) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, output, timedOut });
    });
  });
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** afterAll: every group this suite started, SIGKILLed. */
export function killAllStarted(): void {
  for (const child of started) killGroup(child, 'SIGKILL');
  started.clear();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
