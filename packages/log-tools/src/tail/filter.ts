// Which records `drift-logs tail` shows: level, text, field equality and time.

import { LEVEL_VALUES } from '@drift/logging';
import { InputError } from '../input-error.js';
import type { ParsedLine } from '../logs/records.js';

export interface RecordFilter {
  minLevel: number;
  grep?: string;
  fields: [string, string][];
  since?: number;
}

export function parseLevelFlag(value: string | undefined): number {
  if (value === undefined) return 0;
  const rank = LEVEL_VALUES[value.toLowerCase() as keyof typeof LEVEL_VALUES];
  if (rank === undefined) {
    throw new InputError(
      `--level ${JSON.stringify(value)}: expected one of trace, debug, info, warn, error, fatal`,
    );
  }
  return rank;
}

export function parseFieldFlag(value: string): [string, string] {
  const i = value.indexOf('=');
  if (i <= 0) throw new InputError(`--field ${JSON.stringify(value)}: expected KEY=VALUE, e.g. orderId=42`);
  return [value.slice(0, i), value.slice(i + 1)];
}

/**
 * A byte string every matching head line must contain, so most lines are skipped before parsing:
 * the --grep text, else the value of the first --field.
 */
export function prefilterNeedle(filter: RecordFilter): Buffer | undefined {
  const text = filter.grep ?? filter.fields[0]?.[1];
  return text ? Buffer.from(text) : undefined;
}

export function matches(filter: RecordFilter, parsed: ParsedLine, text: string): boolean {
  if (filter.since !== undefined && parsed.time.getTime() < filter.since) return false;
  if (parsed.levelValue < filter.minLevel) return false;
  if (filter.grep !== undefined && !text.includes(filter.grep)) return false;
  for (const [key, want] of filter.fields) {
    const value = parsed.fields[key];
    if (value === undefined || value === null || String(value) !== want) return false;
  }
  return true;
}
