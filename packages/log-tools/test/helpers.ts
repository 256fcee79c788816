// Shared test helpers: run the CLI in-process, temp copies of the fixture, crafted log lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A compact file line as @drift/logging writes it: `2025-08-30 21:49:03,511 | app | LEVEL | msg k=v`. */
export function compactLine(time: number, app: string, level: string, msg: string): string {
  const d = new Date(time);
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
  return `${stamp} | ${app} | ${level} | ${msg}`;
}

const PINO_LEVEL: Record<string, number> = { TRACE: 10, DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50, FATAL: 60 };

/** A pino NDJSON line (the `json` file format). */
export function jsonLine(
  time: number,
  app: string,
  level: string,
  msg: string,
  fields: Record<string, unknown> = {},
): string {
  return JSON.stringify({ level: PINO_LEVEL[level], time, pid: 1, hostname: 'h', name: app, ...fields, msg });
}

/** Writes lines to a file and sets its modification time. */
export function writeLog(file: string, lines: string[], mtime?: number): void {
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  if (mtime !== undefined) fs.utimesSync(file, new Date(mtime), new Date(mtime));
}
