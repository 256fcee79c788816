// Shared test helpers: run the CLI in-process, temp copies of the fixture, crafted log lines.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCompact, LEVEL_VALUES } from '@drift/logging';
import { runCli } from '../src/run-cli.js';

export const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'before');
export const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');
export const REPO_ROOT = path.resolve(PACKAGE_DIR, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

const temps: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `drift-logs-${prefix}-`));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of the "before" fixture workspace. */
export function copyFixture(): string {
  const dir = tempDir('ws');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every file under dir (relative path -> content), for before/after comparisons. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** A compact file line, formatted by @drift/logging itself: `2025-08-30 21:49:03,511 | app | LEVEL | msg`. */
export function compactLine(time: number, app: string, level: string, msg: string): string {
  return formatCompact({ level: levelValue(level), time, msg }, app).trimEnd();
}

/** A pino NDJSON line (the `json` file format). */
export function jsonLine(
  time: number,
  app: string,
  level: string,
  msg: string,
  fields: Record<string, unknown> = {},
): string {
  return JSON.stringify({ level: levelValue(level), time, pid: 1, hostname: 'h', app, ...fields, msg });
}

function levelValue(label: string): number {
  return LEVEL_VALUES[label.toLowerCase() as keyof typeof LEVEL_VALUES];
}

/** Writes lines to a file and sets its modification time. */
export function writeLog(file: string, lines: string[], mtime?: number): void {
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  if (mtime !== undefined) fs.utimesSync(file, new Date(mtime), new Date(mtime));
}

/**
 * Runs the CLI in a child process that cannot read `file` (mode 000). Root reads anything, so as
 * root the child keeps its user but loses the capabilities that override file permissions
 * (util-linux `setpriv`): switching to `nobody` instead would also lock it out of a checkout in a
 * private (0700) home directory.
 */
export function cliWithUnreadable(file: string, ...argv: string[]): CliResult {
  fs.chmodSync(file, 0o000);
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', 'src/cli.ts', ...argv];
  const [cmd, ...args] =
    process.getuid?.() === 0
      ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--', ...node]
      : node;
  const res = spawnSync(cmd as string, args, { cwd: PACKAGE_DIR, encoding: 'utf8' });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
