/**
 * When (and whether) to restart an app that exited on its own: exponential backoff that resets after
 * a stable run, and crash-loop detection (more than `maxRestarts` exits within `windowMs`). Pure: the
 * supervisor feeds it exits and it answers with a delay or a verdict.
 */
import type { RestartPolicy } from '@drift/config';

export type RestartDecision =
  | { restart: true; delayMs: number }
  | { restart: false; reason: 'crash-looping' };

export class RestartTracker {
  /** Consecutive unexpected exits since the last stable run. */
  private consecutive = 0;
  /** Times of recent unexpected exits (within the window). */
  private exits: number[] = [];
  /** Exits before `minUptimeMs`: the app never got going. */
  failedStarts = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /** An unexpected exit at `now` after running `uptimeMs`. */
  onExit(now: number, uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.policy.stableAfterMs) this.consecutive = 0;
    if (uptimeMs < this.policy.minUptimeMs) this.failedStarts += 1;
    this.exits = this.exits.filter((t) => now - t < this.policy.windowMs);
    this.exits.push(now);
    if (this.exits.length > this.policy.maxRestarts) return { restart: false, reason: 'crash-looping' };
    const delayMs = Math.min(this.policy.capMs, this.policy.baseMs * this.policy.factor ** this.consecutive);
    this.consecutive += 1;
    return { restart: true, delayMs: Math.round(delayMs) };
  }

  /** An operator start clears the history: they have seen the alert. */
  reset(): void {
    this.consecutive = 0;
    this.exits = [];
  }
}
