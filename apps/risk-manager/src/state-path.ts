/**
 * Where the risk state lives: `RISK_STATE_FILE`, else `risk-state.json` in the fleet's data
 * directory (`DRIFT_DATA_DIR`, else `<workspace root>/data`, @drift/runtime's `dataDir`).
 */
import path from 'node:path';
import { dataDir } from '@drift/runtime';

export const STATE_FILE_ENV = 'RISK_STATE_FILE';

export function riskStatePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const override = env[STATE_FILE_ENV];
  if (override !== undefined) {
    if (override.trim() === '') throw new Error(`${STATE_FILE_ENV}: "" is not a file path`);
    return path.resolve(cwd, override);
  }
  return path.join(dataDir({ env, cwd }), 'risk-state.json');
}
