// The drift-logs command line: audit, migrate, monitor and tail the fleet's logs. Exit codes are per command (see --help);
// 3 is always bad input.
import { EXIT_BAD_INPUT, InputError } from './input-error.js';

const HELP = `Usage: drift-logs <command> [options]

Commands:
  audit     find apps whose logs do not reach their file (exit 1 on critical issues)
  migrate   rewrite console/winston/bunyan/pino setups to @drift/logging (--dry-run: diff only)
  monitor   health of each critical app's log files, then clean-up (exit 0/1/2)
  tail      merge the apps' logs in time order, filter, follow across rotation

Every command takes --help, --json and --root DIR. Exit code 3 means bad input.
`;

type Command = (argv: string[], out: (s: string) => void) => number | Promise<number>;
// Loaded on demand: monitor and tail never pay for the TypeScript compiler that audit and migrate load.
const COMMANDS: Record<string, () => Promise<Command>> = {
  audit: async () => (await import('./audit/command.js')).runAudit,
  migrate: async () => (await import('./migrate/command.js')).runMigrate,
  monitor: async () => (await import('./monitor/command.js')).runMonitor,
  tail: async () => (await import('./tail/command.js')).runTail,
};

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const STDIO: CliIo = {
  out: (s) => {
    process.stdout.write(s);
  },
  err: (s) => {
    process.stderr.write(s);
  },
};

/** Runs one command and resolves to its exit code. */
export async function runCli(argv: string[], io: CliIo = STDIO): Promise<number> {
  const { out } = io;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(HELP);
    return name === undefined ? EXIT_BAD_INPUT : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command)
      throw new InputError(`unknown command "${name}" (expected audit, migrate, monitor or tail)`);
    return await (await command())(rest, out);
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`drift-logs: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}
