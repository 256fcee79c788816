/**
 * The risk manager's trading state on disk, so a halt survives the risk manager's own restart
 * until an operator resets it. Written atomically (temp file, fsync, rename): a crash mid-write
 * leaves the previous state, never a torn file.
 */
import fs from 'node:fs';
import path from 'node:path';

export type TradingState = 'active' | 'reducing' | 'halted';

export interface PersistedRiskState {
  state: TradingState;
  reason: string;
  /** Who set it: `risk-manager` for a breach, the operator's name for a reset. */
  by: string;
  since: string;
  breaches: string[];
  /** UTC day (`YYYY-MM-DD`) the start equity belongs to, so a restart keeps the daily-loss base. */
  day?: string;
  /** Fleet equity at the start of `day`, QUOTE_PRECISION as a decimal integer string. */
  dayStartEquity?: string;
}

const STATES: readonly TradingState[] = ['active', 'reducing', 'halted'];

export function loadRiskState(file: string): PersistedRiskState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: Partial<PersistedRiskState>;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `risk state file ${file} is not valid JSON: fix or delete it (a halt may be recorded there)`,
    );
  }
  if (!parsed || !STATES.includes(parsed.state as TradingState)) {
    throw new Error(
      `risk state file ${file}: state ${JSON.stringify(parsed?.state)} is not one of ${STATES.join(', ')}`,
    );
  }
  return {
    state: parsed.state as TradingState,
    reason: String(parsed.reason ?? ''),
    by: String(parsed.by ?? 'unknown'),
    since: String(parsed.since ?? new Date(0).toISOString()),
    breaches: Array.isArray(parsed.breaches) ? parsed.breaches.map(String) : [],
    ...(typeof parsed.day === 'string' && { day: parsed.day }),
    ...(typeof parsed.dayStartEquity === 'string' &&
      /^-?\d+$/.test(parsed.dayStartEquity) && { dayStartEquity: parsed.dayStartEquity }),
  };
}

export function saveRiskState(file: string, state: PersistedRiskState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
