/**
 * The risk manager's word as a file, for a fleet run by a supervisor other than the orchestrator
 * (the pm2 and systemd exports), where no IPC channel relays it. The risk manager rewrites the file
 * after every evaluation it completes; a bot given its path (`DRIFT_RISK_WORD_FILE`) reads it and
 * trades only while the word is fresh, following the state it carries (a halt included). The word's
 * own time is what counts: a file left by a dead risk manager is stale, not fresh.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TradingStateName } from '@drift/domain';
import { dataDir } from './data-dir.js';

export const RISK_WORD_FILE_ENV = 'DRIFT_RISK_WORD_FILE';

const STATES: readonly string[] = ['active', 'reducing', 'halted'] satisfies TradingStateName[];

export interface RiskWord {
  state: TradingStateName;
  reason: string;
  /** When the risk manager completed the evaluation (epoch ms). */
  at: number;
}

/** Where the risk manager writes its word: `risk-word.json` in the fleet's data dir. */
export function riskWordFilePath(opts: { env?: NodeJS.ProcessEnv; root?: string } = {}): string {
  return join(dataDir(opts), 'risk-word.json');
}

/** Replaces the file in one step (write, then rename), so a reader never sees half a word. */
export function writeRiskWord(path: string, word: RiskWord): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(word)}\n`);
  renameSync(tmp, path);
}

/** The word in the file; undefined when it is missing or not a word (which counts as silence). */
export function readRiskWord(path: string): RiskWord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const word = parsed as Partial<RiskWord> | null;
  if (
    !word ||
    typeof word.at !== 'number' ||
    !Number.isFinite(word.at) ||
    typeof word.reason !== 'string' ||
    !STATES.includes(word.state as string)
  )
    return undefined;
  return { state: word.state as TradingStateName, reason: word.reason, at: word.at };
}
