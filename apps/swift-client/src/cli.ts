/** `swift-client` command line: `[--market SYMBOL]...` (default: the fleet's markets), read by core's `readCliArgs`. */
import { CliUsageError, parseFlags } from '@drift/core';

export const USAGE = `usage: pnpm --filter swift-client start -- [--market SOL-PERP]...
  --market SYMBOL  a market to tap, repeatable (default: the fleet config's markets)
  -h, --help       this text`;

/** Throws `CliUsageError` naming the bad argument and its value. */
export function parseCli(argv: readonly string[]): { markets: string[] } {
  const values = parseFlags(argv, { market: { type: 'string', multiple: true } });
  const markets = (values.market ?? []) as string[];
  for (const m of markets) {
    if (!/^[A-Z0-9]+-PERP$/.test(m))
      throw new CliUsageError(`--market: "${m}" is not a perp market symbol (e.g. SOL-PERP)`);
  }
  return { markets };
}
