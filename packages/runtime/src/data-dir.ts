/**
 * Where the fleet keeps its state (order journals, the risk state, the orchestrator's API token):
 * `DRIFT_DATA_DIR` (tests, several fleets on one machine), else `<workspace root>/data`.
 */
import { join, resolve } from 'node:path';
import { findWorkspaceRoot } from '@drift/logging';

export const DATA_DIR_ENV = 'DRIFT_DATA_DIR';

export interface DataDirOptions {
  env?: NodeJS.ProcessEnv;
  /** Relative `DRIFT_DATA_DIR` and the workspace search start here (default: the process's cwd). */
  cwd?: string;
  /** The workspace root, when the caller already knows it (skips the search). */
  root?: string;
}

export function dataDir(opts: DataDirOptions = {}): string {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const override = env[DATA_DIR_ENV];
  // Empty counts as unset, as a shell's `DRIFT_DATA_DIR=` means.
  if (override) return resolve(cwd, override);
  return join(opts.root ?? findWorkspaceRoot(cwd) ?? cwd, 'data');
}
