/**
 * Options, from defaults < environment < explicit arguments. A bad value is an error that names
 * the variable (or option), the value and what is allowed: a logger never starts half-configured.
 */
import path from 'node:path';
import { DriftError } from './errors.js';
import { LEVELS, type LogLevel } from './levels.js';
import { findWorkspaceRoot } from './workspace.js';

export const FORMATS = ['compact', 'verbose', 'json'] as const;
export type LogFormat = (typeof FORMATS)[number];

export interface LoggingOptions {
  logLevel?: LogLevel;
  enableFileLogging?: boolean;
  enableConsoleLogging?: boolean;
  fileFormat?: LogFormat;
  consoleFormat?: LogFormat;
  /** Default: `logs/` at the workspace root (not the cwd); `LOG_DIR` overrides. */
  logDir?: string;
  /** Rotate the file past this many bytes (default 10 MB). */
  maxSize?: number;
  /** Rotated files kept (default 5). */
  maxFiles?: number;
  /** Log files older than this are deleted at start and hourly (default 7). */
  retentionDays?: number;
  /** Extra pino redact paths (secret-looking keys are redacted anyway). */
  redact?: string[];
}

export interface ResolvedOptions extends Required<Omit<LoggingOptions, 'redact'>> {
  appName: string;
  redact: string[];
}

export const LOG_DEFAULTS = {
  maxSize: 10 * 1024 * 1024,
  maxFiles: 5,
  retentionDays: 7,
  fileFormat: 'compact' as LogFormat,
  consoleFormat: 'verbose' as LogFormat,
  logLevel: 'info' as LogLevel,
};

export class LoggingConfigError extends DriftError {
  override readonly code = 'DRIFT_ERR_LOGGING_CONFIG_INVALID';
  override name = 'LoggingConfigError';
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new LoggingConfigError(
    `${name}=${JSON.stringify(value)} is not valid: use one of ${allowed.join(', ')}`,
  );
}

function bool(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new LoggingConfigError(`${name}=${JSON.stringify(value)} is not valid: use true or false`);
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new LoggingConfigError(`${name}=${JSON.stringify(value)} is not valid: use a positive integer`);
  }
  return value;
}

/** The log directory every process of the workspace shares: `LOG_DIR`, else `<workspace root>/logs`. */
export function resolveLogDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOG_DIR) return path.resolve(env.LOG_DIR);
  return path.join(findWorkspaceRoot() ?? process.cwd(), 'logs');
}

export function resolveOptions(
  appName: string,
  critical: boolean,
  explicit: LoggingOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(appName)) {
    throw new LoggingConfigError(
      `appName=${JSON.stringify(appName)} is not valid: use letters, digits, . _ -`,
    );
  }
  const fromEnv: LoggingOptions = {};
  if (env.LOG_LEVEL) fromEnv.logLevel = oneOf('LOG_LEVEL', env.LOG_LEVEL, LEVELS);
  if (env.LOG_FILE_ENABLED) fromEnv.enableFileLogging = bool('LOG_FILE_ENABLED', env.LOG_FILE_ENABLED);
  if (env.LOG_FORMAT) fromEnv.consoleFormat = oneOf('LOG_FORMAT', env.LOG_FORMAT, FORMATS);
  // The file is what a log shipper tails (pm2 and systemd keep no useful stdout): json for one.
  if (env.LOG_FILE_FORMAT) fromEnv.fileFormat = oneOf('LOG_FILE_FORMAT', env.LOG_FILE_FORMAT, FORMATS);
  if (env.LOG_DIR) fromEnv.logDir = path.resolve(env.LOG_DIR);

  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const merged = {
    ...LOG_DEFAULTS,
    enableFileLogging: critical,
    enableConsoleLogging: true,
    logDir: resolveLogDir(env),
    redact: [] as string[],
    ...defined(fromEnv),
    ...defined(explicit),
  };
  // Explicit options are checked as strictly as the environment.
  oneOf('logLevel', merged.logLevel, LEVELS);
  oneOf('fileFormat', merged.fileFormat, FORMATS);
  oneOf('consoleFormat', merged.consoleFormat, FORMATS);
  return {
    ...merged,
    appName,
    logDir: path.resolve(merged.logDir),
    maxSize: positive('maxSize', merged.maxSize),
    maxFiles: positive('maxFiles', merged.maxFiles),
    retentionDays: positive('retentionDays', merged.retentionDays),
  };
}
