/**
 * Operator reset: `pnpm --filter risk-manager reset -- --by <name> [--reason <text>]`.
 * Writes the persisted trading state back to `active` with who and when, and logs it; the
 * daily-loss base restarts from the equity at the next poll (the loss is accepted). A running
 * risk manager picks the reset up at its next poll (it re-reads the file); under the orchestrator,
 * the orchestrator's API reset (IPC `resume`) does the same.
 */

import type { Logger } from '@drift/logging';
import { CliUsageError, parseFlags } from '@drift/runtime';
import { loadRiskState, type PersistedRiskState, saveRiskState } from './state-store.js';

export interface ResetArgs {
  by: string;
  reason: string;
}

/** `--by <name>` (required) and `--reason <text>`, read by the shared parser; errors name the flag and the value. */
export function parseResetArgs(argv: readonly string[]): ResetArgs {
  const values = parseFlags(argv, { by: { type: 'string' }, reason: { type: 'string' } });
  for (const [flag, value] of Object.entries(values))
    if (value.trim() === '')
      throw new CliUsageError(`--${flag}: ${JSON.stringify(value)} is not a value (e.g. --${flag} alice)`);
  if (!values.by) throw new CliUsageError('--by: missing: say who resets the risk state (e.g. --by alice)');
  return { by: values.by.trim(), reason: values.reason?.trim() ?? 'operator reset' };
}

/** Sets the persisted state to active; returns the state it replaced (undefined: there was none). */
export function resetRiskState(
  file: string,
  args: ResetArgs,
  logger: Logger,
  now: Date = new Date(),
): PersistedRiskState | undefined {
  const previous = loadRiskState(file);
  // No day/dayStartEquity: the daily-loss base restarts from the equity at the next poll.
  saveRiskState(file, {
    state: 'active',
    reason: args.reason,
    by: args.by,
    since: now.toISOString(),
    breaches: [],
  });
  logger.warn(
    {
      by: args.by,
      reason: args.reason,
      previous: previous?.state ?? 'none',
      previousReason: previous?.reason,
      file,
    },
    'risk state reset by operator',
  );
  return previous;
}
