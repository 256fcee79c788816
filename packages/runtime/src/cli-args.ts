/**
 * Command-line arguments of every entry point (`src/main.ts`), read first thing, before logging or
 * anything else starts: `--help` prints the usage (exit 0); a bad argument prints
 * `<app>: unknown option '--bogus'` and the usage on stderr and exits 2. Nothing is ignored.
 */
import { parseFlags, usageMessage } from '@drift/logging';

// The parser itself lives in @drift/logging (log-tools uses it too); apps keep importing it from here.
export {
  CliUsageError,
  type CommandLine,
  type FlagValuesOf,
  parseCommandLine,
  parseFlags,
} from '@drift/logging';

export interface CliSpec<T> {
  /** The program's name, first on the error line. */
  app: string;
  /** Usage text (`usage: ...`), printed for `--help` and after an error. */
  usage: string;
  /** Reads the arguments (a leading `--` already removed); throws naming the bad one. Default: none allowed. */
  parse?: (argv: string[]) => T;
}

export type CliOutcome<T> =
  | { kind: 'args'; args: T }
  | { kind: 'help'; text: string }
  | { kind: 'error'; text: string };

/** What the arguments amount to, without printing or exiting (tests, and `readCliArgs`). */
export function checkCliArgs<T = Record<string, never>>(
  spec: CliSpec<T>,
  rawArgv: readonly string[],
): CliOutcome<T> {
  // `pnpm --filter x start -- --flag` passes the `--` through: it separates, it is no argument.
  const argv = rawArgv[0] === '--' ? rawArgv.slice(1) : [...rawArgv];
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: spec.usage };
  try {
    const args = spec.parse ? spec.parse(argv) : (parseFlags(argv, {}) as T);
    return { kind: 'args', args };
  } catch (err) {
    const message = usageMessage(err);
    // A parser's message may end with the usage already: print it once.
    const text = message.includes(spec.usage) ? message : `${message}\n${spec.usage}`;
    return { kind: 'error', text: `${spec.app}: ${text}` };
  }
}

/**
 * Reads `process.argv` for a `main.ts`: returns the parsed arguments, or answers `--help` (stdout,
 * exit 0) or a bad argument (stderr, exit 2) and exits before anything has started.
 */
export function readCliArgs<T = Record<string, never>>(
  spec: CliSpec<T>,
  argv: readonly string[] = process.argv.slice(2),
): T {
  const outcome = checkCliArgs(spec, argv);
  if (outcome.kind === 'args') return outcome.args;
  if (outcome.kind === 'help') {
    process.stdout.write(`${outcome.text}\n`);
    process.exit(0);
  }
  process.stderr.write(`${outcome.text}\n`);
  process.exit(2);
}

/** The usage of an app configured only by the fleet config. */
export function noOptionsUsage(app: string): string {
  return `usage: pnpm --filter ${app} start
  no options: drift-bots.yaml (or the file in DRIFT_BOTS_CONFIG) configures ${app}
  -h, --help  this text`;
}
