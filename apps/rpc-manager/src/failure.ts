/**
 * What went wrong talking to an upstream, and whether the request can have been processed.
 *
 * `definite`: the upstream surely did not act on the request (connection refused, name not found,
 * connect timeout, 429, 503, 401/403). `ambiguous`: it may have (timeout or reset after the
 * request was sent, 500/502/504). The distinction only matters for non-idempotent methods
 * (`sendTransaction`): see README "Retry rules".
 */

export type FailureKind =
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'rate-limited'
  | 'unavailable'
  | 'server-error'
  | 'rejected'
  | 'network';

export interface Failure {
  kind: FailureKind;
  definite: boolean;
  /** Human text without any URL: `HTTP 429`, `ECONNREFUSED`, `timed out after 5000 ms`. */
  detail: string;
  /** The HTTP response, when there was one (passed through if it is the last word). */
  status?: number;
  retryAfterMs?: number;
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A socket-level error. `connected`: the request may have reached the upstream. */
export function networkFailure(code: string | undefined, connected: boolean): Failure {
  const detail = code ?? 'network error';
  if (code !== undefined && NEVER_CONNECTED.has(code))
    return { kind: code === 'ECONNREFUSED' ? 'refused' : 'network', definite: true, detail };
  if (!connected) return { kind: 'network', definite: true, detail };
  return { kind: code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'network', definite: false, detail };
}

export function timeoutFailure(timeoutMs: number, connected: boolean): Failure {
  return {
    kind: 'timeout',
    definite: !connected,
    detail: connected ? `timed out after ${timeoutMs} ms` : `connect timed out after ${timeoutMs} ms`,
  };
}

/** A failing HTTP status, or undefined when the response is the upstream's answer to pass on. */
export function statusFailure(status: number, retryAfterMs: number | undefined): Failure | undefined {
  const base = { status, detail: `HTTP ${status}`, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  if (status === 429) return { ...base, kind: 'rate-limited', definite: true };
  if (status === 503) return { ...base, kind: 'unavailable', definite: true };
  if (status === 401 || status === 403) return { ...base, kind: 'rejected', definite: true };
  if (status === 408) return { ...base, kind: 'timeout', definite: true };
  if (status >= 500) return { ...base, kind: 'server-error', definite: false };
  return undefined;
}
