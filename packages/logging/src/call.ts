/// <reference path="./quick-format.d.ts" />
/** pino's call convention, `(obj?, msg?, ...format args)`, read once for every format. */
import quickFormat from 'quick-format-unescaped';

export interface Call {
  fields: Record<string, unknown> | undefined;
  err: unknown;
  msg: string;
}

export function readCall(args: unknown[]): Call {
  // Index arithmetic, not destructuring: this runs on every call.
  let first = args[0];
  let next = 1;
  let fields: Record<string, unknown> | undefined;
  let err: unknown;
  if (first instanceof Error) {
    err = first;
    first = args.length > 1 ? args[next++] : first.message;
  } else if (first !== null && typeof first === 'object') {
    fields = first as Record<string, unknown>;
    err = fields.err;
    first = args[next++];
  } else if (first === undefined) {
    first = args[next++];
  }
  const msg = typeof first === 'string' && args.length > next ? quickFormat(first, args.slice(next)) : first;
  return {
    fields,
    err,
    msg: msg === undefined || msg === null ? ((err as Error | undefined)?.message ?? '') : String(msg),
  };
}
