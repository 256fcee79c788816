/** `drift-client` command line: `[--watch] [--sub-account N]`. Bad arguments name themselves. */
import { parseArgs } from 'node:util';

export interface CliOptions {
  watch: boolean;
  subAccount?: number;
}

export class CliError extends Error {
  override readonly name = 'CliError';
}

export const USAGE = 'usage: drift-client [--watch] [--sub-account N]';

export function parseCli(argv: readonly string[]): CliOptions {
  let values: { watch?: boolean; 'sub-account'?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { watch: { type: 'boolean' }, 'sub-account': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
  const options: CliOptions = { watch: values.watch ?? false };
  const sub = values['sub-account'];
  if (sub !== undefined) {
    if (!/^\d+$/.test(sub))
      throw new CliError(`--sub-account: "${sub}" is not a sub-account number (0, 1, ...)\n${USAGE}`);
    options.subAccount = Number(sub);
  }
  return options;
}
