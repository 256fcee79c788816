/** `drift-client` command line: `[--watch] [--sub-account N]`, read by core's `readCliArgs`. */
import { CliUsageError, parseFlags } from '@drift/core';

export interface CliOptions {
  watch: boolean;
  subAccount?: number;
}

export const USAGE = `usage: pnpm --filter drift-client start -- [--watch] [--sub-account N]
  --watch          keep logging oracle and position changes (implied under the orchestrator)
  --sub-account N  the sub-account to look at (default: the fleet config's)
  -h, --help       this text`;

/** Throws `CliUsageError` naming the bad argument and its value. */
export function parseCli(argv: readonly string[]): CliOptions {
  const values = parseFlags(argv, { watch: { type: 'boolean' }, 'sub-account': { type: 'string' } });
  const options: CliOptions = { watch: values.watch === true };
  const sub = values['sub-account'];
  if (typeof sub === 'string') {
    if (!/^\d+$/.test(sub))
      throw new CliUsageError(`--sub-account: "${sub}" is not a sub-account number (0, 1, ...)`);
    options.subAccount = Number(sub);
  }
  return options;
}
