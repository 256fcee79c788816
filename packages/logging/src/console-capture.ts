/**
 * `console.*` through a logger, for the libraries an app uses: the Drift SDK reports resubscribes
 * and RPC errors (with the request's URL) by console.log/error. Captured, those lines land in the
 * app's file beside everything else, marked `source=console`, and scrubbed of secrets like any
 * record, instead of going unredacted to a stdout nobody keeps.
 */
import { format } from 'node:util';
import { scrub } from './redact.js';

/** What the capture writes to: a pino `Logger`, or anything with its four level methods. */
export type ConsoleTarget = Record<'debug' | 'info' | 'warn' | 'error', (obj: object, msg?: string) => void>;

const LEVEL_OF = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'debug',
  warn: 'warn',
  error: 'error',
} as const;
type Method = keyof typeof LEVEL_OF;
const METHODS = Object.keys(LEVEL_OF) as Method[];

/**
 * util.format's text of the arguments, each object scrubbed first: a secret is recognised by its
 * key or its shape (`Array.from(secretKey)`), which the formatted text no longer shows plainly.
 */
function formatScrubbed(args: unknown[]): string {
  return format(...args.map((a) => (a !== null && typeof a === 'object' ? scrub(a) : a)));
}

let restoreCurrent: (() => void) | undefined;

/** Routes console.log/info/debug/trace/warn/error to `logger`; returns the function that undoes it. */
export function captureConsole(logger: ConsoleTarget): () => void {
  restoreCurrent?.();
  const originals = new Map(METHODS.map((m) => [m, console[m]] as const));
  for (const method of METHODS) {
    const level = LEVEL_OF[method];
    console[method] = (...args: unknown[]) => {
      // An error keeps its stack (indented lines under the record) rather than becoming message text.
      const at = args.findIndex((a) => a instanceof Error);
      if (at === -1) return logger[level]({ source: 'console' }, formatScrubbed(args));
      const err = args[at] as Error;
      const rest = args.filter((_, i) => i !== at);
      logger[level]({ source: 'console', err }, rest.length > 0 ? formatScrubbed(rest) : err.message);
    };
  }
  const restore = () => {
    for (const [method, original] of originals) console[method] = original;
    if (restoreCurrent === restore) restoreCurrent = undefined;
  };
  restoreCurrent = restore;
  return restore;
}
