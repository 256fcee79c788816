/**
 * How loud a failing periodic task (a poll, a risk evaluation) should be. A venue restart or a
 * dropped connection makes a few runs fail with a connection error and the next run succeeds:
 * that is a WARN, not an alarm. An ERROR is logged for any other failure, and for connection
 * failures once they have lasted `graceMs` (the venue is not coming back by itself).
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A network failure to reach a peer (fetch wraps it as `cause`). */
export function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export class FailureStreak {
  private since: number | undefined;

  constructor(private readonly graceMs = 30_000) {}

  /** The task failed with `err`: the level to log it at. */
  failed(err: unknown, now = Date.now()): 'warn' | 'error' {
    this.since ??= now;
    return isConnectionError(err) && now - this.since < this.graceMs ? 'warn' : 'error';
  }

  /** The task succeeded: the streak is over. */
  succeeded(): void {
    this.since = undefined;
  }

  /** How long it has been failing, ms (0 when it is not). */
  failingForMs(now = Date.now()): number {
    return this.since === undefined ? 0 : now - this.since;
  }
}
