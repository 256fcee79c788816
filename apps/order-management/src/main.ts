/** `pnpm --filter order-management start -- --bot <name>`: a report of a bot's order journal. */
import { CliArgsError, parseReportArgs, USAGE } from './cli-args.js';
import { Journal } from './journal.js';
import { formatReport } from './report.js';

function main(): number {
  let args: ReturnType<typeof parseReportArgs>;
  try {
    args = parseReportArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CliArgsError)) throw err;
    process.stderr.write(`order-management: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const journal = new Journal(args.journalPath, { readonly: true });
  try {
    process.stdout.write(formatReport(journal, args.bot ? { bot: args.bot } : {}));
  } finally {
    journal.close();
  }
  return 0;
}

process.exitCode = main();
