/** `swift-client` command line: `[--market SYMBOL]...` (default: the fleet's markets). */
import { parseArgs } from 'node:util';

export class CliError extends Error {
  override readonly name = 'CliError';
}

export const USAGE = 'usage: swift-client [--market SOL-PERP]...';

export function parseCli(argv: readonly string[]): { markets: string[] } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { market: { type: 'string', multiple: true } },
      strict: true,
      allowPositionals: false,
    });
    const markets = values.market ?? [];
    for (const m of markets) {
      if (!/^[A-Z0-9]+-PERP$/.test(m))
        throw new CliError(`--market: "${m}" is not a perp market symbol (e.g. SOL-PERP)`);
    }
    return { markets };
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`${err.message}\n${USAGE}`);
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
}
