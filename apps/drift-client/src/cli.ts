/** `drift-client` command line: `[--watch] [--sub-account N] [--record FILE]`, read by @drift/runtime's `readCliArgs`. */
import { CliUsageError, parseFlags } from '@drift/runtime';
import { recordPathArg } from '@drift/sim';

export interface CliOptions {
  watch: boolean;
  subAccount?: number;
  /** Append every oracle update and (live) on-chain auction received to this file (JSON lines). */
  record?: string;
}

export const USAGE = `usage: pnpm --filter drift-client start -- [--watch] [--sub-account N] [--record FILE]
  --watch          keep logging oracle and position changes (implied under the orchestrator)
  --sub-account N  the sub-account to look at (default: the fleet config's)
  --record FILE    append every oracle update and (live) on-chain auction received to FILE
                   (JSON lines; sim.replayStream replays it)
  -h, --help       this text`;

/** Throws `CliUsageError` naming the bad argument and its value. */
export function parseCli(argv: readonly string[]): CliOptions {
  const values = parseFlags(argv, {
    watch: { type: 'boolean' },
    'sub-account': { type: 'string' },
    record: { type: 'string' },
  });
  const options: CliOptions = { watch: values.watch === true };
  const record = recordPathArg(values.record as string | undefined);
  if (record !== undefined) options.record = record;
  const sub = values['sub-account'];
  if (typeof sub === 'string') {
    if (!/^\d+$/.test(sub))
      throw new CliUsageError(`--sub-account: "${sub}" is not a sub-account number (0, 1, ...)`);
    options.subAccount = Number(sub);
  }
  return options;
}
