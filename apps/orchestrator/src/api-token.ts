/**
 * The API token that guards mutating calls. From `ORCHESTRATOR_TOKEN` / `orchestrator.api.token`;
 * when neither is set, a random one is generated and written (mode 0600, in a 0700 directory) to a
 * file the CLI reads, so it never has to be printed or logged. The file is in the fleet's data
 * directory (`DRIFT_DATA_DIR`, else `<workspace>/data`), so fleets side by side keep their own.
 * Compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '@drift/runtime';

/** The token file for the workspace at `root` (or the `DRIFT_DATA_DIR` in `env`). */
export function tokenFilePath(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir({ root, env }), 'orchestrator', 'api-token');
}

/** The configured token, or a fresh one saved to the token file. */
export function ensureToken(configured: string | undefined, root: string): { token: string; file?: string } {
  if (configured) return { token: configured };
  const file = tokenFilePath(root);
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // An existing file keeps its mode on write: make sure it is ours alone.
  chmodSync(file, 0o600);
  return { token, file };
}

/** The token a client should send: env, then config, then the token file. */
export function readClientToken(configured: string | undefined, root: string): string | undefined {
  if (process.env.ORCHESTRATOR_TOKEN) return process.env.ORCHESTRATOR_TOKEN;
  if (configured) return configured;
  try {
    return readFileSync(tokenFilePath(root), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
