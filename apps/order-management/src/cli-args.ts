/** Arguments of `pnpm --filter order-management start` (the journal report), read by the shared parser. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliUsageError, parseFlags } from '@drift/runtime';
import { defaultJournalPath } from './journal-path.js';

export const USAGE = `usage: pnpm --filter order-management start -- [--bot <name>] [--journal <path>]
  --bot <name>      report the journal data/<name>.orders.sqlite (and only that bot's orders)
  --journal <path>  the journal file to report (default: data/<bot>.orders.sqlite)
  --help            this text`;

export interface ReportArgs {
  journalPath: string;
  bot?: string;
}

const OPTIONS = {
  bot: { type: 'string' },
  journal: { type: 'string' },
} as const;

export function parseReportArgs(argv: readonly string[], cwd = process.cwd()): ReportArgs {
  const { bot, journal } = parseFlags(argv, OPTIONS);
  if (bot !== undefined && !/^[A-Za-z0-9_.-]+$/.test(bot))
    throw new CliUsageError(`--bot: "${bot}" is not a bot name`);
  if (!journal && !bot) throw new CliUsageError('--bot or --journal is required');
  const journalPath = journal ? resolve(cwd, journal) : defaultJournalPath(bot as string, cwd);
  if (!existsSync(journalPath)) {
    throw new CliUsageError(`${journal ? '--journal' : '--bot'}: no journal at ${journalPath}`);
  }
  return { journalPath, ...(bot ? { bot } : {}) };
}
