/**
 * Token bucket for the per-bot order rate: `burst` orders at once, refilled at `perSecond`.
 * The clock is injectable so tests and the simulator's virtual time can drive it.
 */
export interface RateLimitOptions {
  /** Orders allowed back to back (bucket size), > 0. */
  burst: number;
  /** Sustained orders per second (refill rate), > 0. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    for (const field of ['burst', 'perSecond'] as const) {
      const value = options[field];
      if (!Number.isFinite(value) || value <= 0) {
        throw new RangeError(`rateLimit.${field}: ${String(value)} is not a positive number`);
      }
    }
    this.tokens = options.burst;
    this.last = now();
  }

  /** Takes one token if there is one; false means the order must be refused. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Ms until the next token is available (0 when one is available now). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.options.perSecond);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed * this.options.perSecond) / 1000);
  }
}
