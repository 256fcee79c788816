/**
 * The one command-line parser of the fleet: node's `parseArgs`, strict, with errors that name the
 * argument (`unknown option '--bogus'`) and never echo a secret. Here, at the bottom layer, so that
 * `drift-logs` (log-tools sits beside logging, below the runtime) and every app share it;
 * @drift/runtime's `readCliArgs` builds the entry points' usage/exit-2 behaviour on it.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DriftError, errorMessage } from './errors.js';
import { redactString } from './redact.js';

export class CliUsageError extends DriftError {
  override readonly code = 'DRIFT_ERR_CLI_USAGE';
  override readonly name = 'CliUsageError';
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The flag values node's `parseArgs` types from the options (`string`, `boolean`, arrays for `multiple`). */
export type FlagValuesOf<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>['values'];

export interface CommandLine<O extends FlagOptions> {
  values: FlagValuesOf<O>;
  positionals: string[];
}

/**
 * Strict flags: an unknown option, a positional or a missing value throws a `CliUsageError`
 * naming it (`unknown option '--bogus'`).
 */
export function parseFlags<O extends FlagOptions>(argv: readonly string[], options: O): FlagValuesOf<O> {
  return parseCommandLine(argv, options, { positionals: false }).values;
}

/**
 * `parseFlags` that also takes positional arguments (a command and its operands:
 * `fleet start hedge-bot --url URL`). A leading `--` (what `pnpm start -- ...` passes) is skipped.
 */
export function parseCommandLine<O extends FlagOptions>(
  argv: readonly string[],
  options: O,
  { positionals = true }: { positionals?: boolean } = {},
): CommandLine<O> {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals });
    return { values: parsed.values as FlagValuesOf<O>, positionals: parsed.positionals };
  } catch (err) {
    throw new CliUsageError(usageMessage(err));
  }
}

/**
 * node's parseArgs messages (also when an app's parser passes them on), shorter and in the style of
 * the others: `Unknown option '--bogus'. To specify...` → `unknown option '--bogus'`. A stray
 * argument may be an RPC URL with its API key: the logger's own scrubber hides it.
 */
export function usageMessage(err: unknown): string {
  const text = redactString(errorMessage(err).replace(/\. To specify a positional argument[^\n]*/, ''));
  return /^(Unknown option|Unexpected argument|Option) '/.test(text)
    ? text.charAt(0).toLowerCase() + text.slice(1)
    : text;
}
