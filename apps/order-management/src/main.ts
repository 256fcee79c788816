/** `pnpm --filter order-management start -- --bot <name>`: a report of a bot's order journal. */

import { errorMessage, flushLogs, setupCriticalLogging } from '@drift/logging';
import { checkCliArgs } from '@drift/runtime';
import { parseReportArgs, USAGE } from './cli-args.js';
import { Journal } from './journal.js';
import { formatReport } from './report.js';

// stdout is the report itself: log lines go to logs/order-management.log only.
const logger = setupCriticalLogging('order-management', { enableConsoleLogging: false });

function main(): number {
  const argv = process.argv.slice(2);
  const outcome = checkCliArgs(
    { app: 'order-management', usage: USAGE, parse: (a) => parseReportArgs(a) },
    argv,
  );
  if (outcome.kind === 'help') {
    process.stdout.write(`${outcome.text}\n`);
    return 0;
  }
  if (outcome.kind === 'error') {
    logger.warn({ argv, detail: outcome.text }, 'bad arguments');
    process.stderr.write(`${outcome.text}\n`);
    return 2;
  }
  const args = outcome.args;
  const journal = new Journal(args.journalPath, { readonly: true });
  try {
    const orders = journal.allOrders();
    logger.info({ journal: args.journalPath, bot: args.bot, orders: orders.length }, 'journal report');
    process.stdout.write(formatReport(journal, args.bot ? { bot: args.bot } : {}));
  } finally {
    journal.close();
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  logger.error({ err }, 'journal report failed');
  process.stderr.write(`order-management: ${errorMessage(err)}\n`);
  process.exitCode = 1;
}
await flushLogs();
