import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PKG_DIR = path.resolve(import.meta.dirname, '..');

export function tempDir(prefix = 'drift-logging-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript fixture in its own Node process (as an app would run). With `onMessage`, the
 * child gets an IPC channel and each message it sends is handed over with the child itself.
 */
export function runFixture(
  file: string,
  args: string[],
  env: Record<string, string>,
  onMessage?: (message: unknown, child: ChildProcess) => void,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', path.join(PKG_DIR, file), ...args],
      {
        cwd: PKG_DIR,
        env: { ...process.env, ...env },
        stdio: onMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      },
    );
    if (onMessage) child.on('message', (m) => onMessage(m, child));
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every record line in an app's files (active and rotated), oldest file first. */
export function readAllLines(dir: string, app: string): string[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${app}.`) && !f.endsWith('.lock'))
    .sort((a, b) => rotation(b) - rotation(a));
  return files.flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
}

function rotation(file: string): number {
  return Number(/\.log\.(\d+)$/.exec(file)?.[1] ?? 0);
}

export const COMPACT_LINE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \| [\w.-]+ \| (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \| .*$/;
