// Flag parsing for every command: @drift/logging's parser, with errors that name the flag and value.
import fs from 'node:fs';
import path from 'node:path';
import { CliUsageError, type CommandLine, type FlagOptions, parseCommandLine } from '@drift/logging';
import { InputError } from './input-error.js';

export const COMMON_OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagOptions;

/** @drift/logging's parser; bad flags become an InputError (exit 3) that points at the command's help. */
export function parseFlags<O extends FlagOptions>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): CommandLine<O> {
  try {
    return parseCommandLine(argv, options, { positionals: allowPositionals });
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    throw new InputError(`drift-logs ${command}: ${err.message} (see drift-logs ${command} --help)`);
  }
}

/** The workspace root: --root, else the nearest directory above cwd holding pnpm-workspace.yaml, else cwd. */
export function resolveRoot(flag: string | undefined): string {
  if (flag !== undefined) {
    const abs = path.resolve(flag);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
      throw new InputError(`--root ${flag}: not a directory`);
    }
    return abs;
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `2h`, `7d` -> milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m)
    throw new InputError(`${flag} ${JSON.stringify(value)}: expected a duration like 30s, 10m, 2h or 7d`);
  return Number(m[1]) * UNITS_MS[m[2]!]!;
}

/** `--since` takes a duration back from now or an ISO timestamp. */
export function parseSince(value: string, now: number): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(value.trim())) return now - parseDuration('--since', value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new InputError(`--since ${JSON.stringify(value)}: expected a duration like 10m or an ISO time`);
  }
  return t;
}

const UNITS_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `500MB`, `2GB`, `1024` -> bytes. */
export function parseBytes(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!m) throw new InputError(`${flag} ${JSON.stringify(value)}: expected a size like 500MB or 2GB`);
  return Math.round(Number(m[1]) * UNITS_BYTES[(m[2] ?? 'b').toLowerCase()]!);
}

export function parsePositiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InputError(`${flag} ${JSON.stringify(value)}: expected a positive integer`);
  return n;
}
