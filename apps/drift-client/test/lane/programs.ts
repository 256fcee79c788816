/**
 * Where the real-program lane finds the compiled Drift program and the mock Pyth oracle program,
 * and solana-bankrun (a dependency of @drift-labs/sdk, loaded from the SDK's own install so the
 * lane adds no dependency). When any of them is missing the lane is skipped with this reason.
 *
 * DRIFT_PROGRAM_SO: drift.so (default `<repo>/../shared/drift-program/drift.so`, where CI has it;
 * a mainnet dump works too: `solana program dump -u m dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH drift.so`).
 * DRIFT_PYTH_SO: the mock Pyth program (default: `pyth.so` beside drift.so, else the shared copy).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@drift/logging';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SHARED = join(REPO_ROOT, '..', 'shared', 'drift-program');

export interface LanePrograms {
  drift: string;
  pyth: string;
  /** solana-bankrun's module, as the SDK installed it. */
  bankrun: unknown;
  /** Its napi binding (`dist/internal.js`), whose `start` the lane calls itself (see BankrunChain). */
  bankrunNative: unknown;
}

export type LaneAvailability = { ok: true; programs: LanePrograms } | { ok: false; reason: string };

export function locateLanePrograms(env: NodeJS.ProcessEnv = process.env): LaneAvailability {
  const drift = resolve(env.DRIFT_PROGRAM_SO ?? join(SHARED, 'drift.so'));
  if (!existsSync(drift)) {
    return {
      ok: false,
      reason: `no Drift program at ${drift} (set DRIFT_PROGRAM_SO to a drift.so, e.g. a mainnet dump)`,
    };
  }
  const beside = join(dirname(drift), 'pyth.so');
  const pyth = resolve(env.DRIFT_PYTH_SO ?? (existsSync(beside) ? beside : join(SHARED, 'pyth.so')));
  if (!existsSync(pyth)) {
    return { ok: false, reason: `no mock Pyth program at ${pyth} (set DRIFT_PYTH_SO)` };
  }
  try {
    const sdk = fileURLToPath(import.meta.resolve('@drift-labs/sdk'));
    const fromSdk = createRequire(sdk);
    const bankrun: unknown = fromSdk('solana-bankrun');
    const bankrunNative: unknown = createRequire(fromSdk.resolve('solana-bankrun'))('./internal.js');
    return { ok: true, programs: { drift, pyth, bankrun, bankrunNative } };
  } catch (err) {
    return { ok: false, reason: `solana-bankrun cannot load here: ${errorMessage(err)}` };
  }
}

/** Resolved once per test file; the reason is printed loudly when the lane is skipped. */
export const LANE = locateLanePrograms();
if (!LANE.ok) {
  process.stderr.write(`\n*** real-program lane SKIPPED: ${LANE.reason} ***\n\n`);
}
