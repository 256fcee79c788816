/** Arguments of `pnpm --filter order-management start` (the journal report). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliUsageError } from '@drift/core';
import { defaultJournalPath } from './journal-path.js';

export const USAGE = `usage: pnpm --filter order-management start -- [--bot <name>] [--journal <path>]
  --bot <name>      report the journal data/<name>.orders.sqlite (and only that bot's orders)
  --journal <path>  the journal file to report (default: data/<bot>.orders.sqlite)
  --help            this text`;

export interface ReportArgs {
  journalPath: string;
  bot?: string;
  help: boolean;
}

export function parseReportArgs(argv: readonly string[], cwd = process.cwd()): ReportArgs {
  let bot: string | undefined;
  let journal: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg !== '--bot' && arg !== '--journal')
      throw new CliUsageError(`unknown argument "${arg}"\n${USAGE}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new CliUsageError(`${arg}: a value is required`);
    if (arg === '--bot') {
      if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new CliUsageError(`--bot: "${value}" is not a bot name`);
      bot = value;
    } else {
      journal = value;
    }
  }
  if (help) return { journalPath: '', help };
  if (!journal && !bot) throw new CliUsageError(`--bot or --journal is required\n${USAGE}`);
  const journalPath = journal ? resolve(cwd, journal) : defaultJournalPath(bot as string, cwd);
  if (!existsSync(journalPath)) {
    throw new CliUsageError(`${journal ? '--journal' : '--bot'}: no journal at ${journalPath}`);
  }
  return { journalPath, ...(bot ? { bot } : {}), help };
}
