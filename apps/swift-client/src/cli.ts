/** `swift-client` command line: `[--market SYMBOL]... [--record FILE]`, read by @drift/runtime's `readCliArgs`. */
import { CliUsageError, parseFlags } from '@drift/runtime';
import { recordPathArg } from '@drift/sim';

export const USAGE = `usage: pnpm --filter swift-client start -- [--market SOL-PERP]... [--record FILE]
  --market SYMBOL  a market to tap, repeatable (default: the fleet config's markets)
  --record FILE    append every taker order received to FILE (JSON lines; sim.replayStream replays it)
  -h, --help       this text`;

/** Throws `CliUsageError` naming the bad argument and its value. */
export function parseCli(argv: readonly string[]): { markets: string[]; record?: string } {
  const values = parseFlags(argv, {
    market: { type: 'string', multiple: true },
    record: { type: 'string' },
  });
  const markets = (values.market ?? []) as string[];
  for (const m of markets) {
    if (!/^[A-Z0-9]+-PERP$/.test(m))
      throw new CliUsageError(`--market: "${m}" is not a perp market symbol (e.g. SOL-PERP)`);
  }
  const record = recordPathArg(values.record as string | undefined);
  return { markets, ...(record !== undefined && { record }) };
}
