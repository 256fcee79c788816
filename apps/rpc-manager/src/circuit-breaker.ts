/**
 * Per-endpoint circuit breaker. `closed`: requests flow, consecutive failures are counted.
 * `open` (after `failureThreshold` failures in a row): the endpoint gets no traffic for `openMs`.
 * `half-open` (after that): one trial request at a time; success closes, failure re-opens.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses traffic before a trial, ms. */
  openMs: number;
}

export class CircuitBreaker {
  readonly #options: BreakerOptions;
  readonly #now: () => number;
  #open = false;
  #openedAt = 0;
  #failures = 0;
  #trialInFlight = false;

  constructor(options: BreakerOptions, now: () => number = Date.now) {
    this.#options = options;
    this.#now = now;
  }

  get state(): BreakerState {
    if (!this.#open) return 'closed';
    return this.#now() - this.#openedAt >= this.#options.openMs ? 'half-open' : 'open';
  }

  /** When an open circuit turns half-open (ms epoch); undefined unless open. */
  get reopensAt(): number | undefined {
    return this.state === 'open' ? this.#openedAt + this.#options.openMs : undefined;
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** May a request go to this endpoint now? */
  canRequest(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.#trialInFlight);
  }

  /** A request is leaving for this endpoint (in half-open it is the trial). */
  onRequest(): void {
    if (this.state === 'half-open') this.#trialInFlight = true;
  }

  /** The endpoint answered well. Returns the state before, so callers can log a transition. */
  onSuccess(): BreakerState {
    const before = this.state;
    // A success while still fully open (a late answer) does not cut the open period short.
    if (before === 'open') return before;
    this.#open = false;
    this.#failures = 0;
    this.#trialInFlight = false;
    return before;
  }

  /** The endpoint failed. Returns the state before. */
  onFailure(): BreakerState {
    const before = this.state;
    this.#trialInFlight = false;
    this.#failures += 1;
    if (before === 'half-open' || (before === 'closed' && this.#failures >= this.#options.failureThreshold)) {
      this.#open = true;
      this.#openedAt = this.#now();
    }
    return before;
  }

  /** The trial ended without a verdict (e.g. rate limited): let another trial through. */
  release(): void {
    this.#trialInFlight = false;
  }
}
