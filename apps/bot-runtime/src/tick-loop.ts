/**
 * A bot's periodic work: `tick` every `everyMs`, never two at once (a slow tick skips the turns it
 * overlaps). A failure is logged at WARN while it is a connection error younger than
 * @drift/runtime's `FailureStreak` grace (a venue restarting), at ERROR otherwise; the next turn retries.
 */

import type { LoggerLike } from '@drift/logging';
import { FailureStreak } from '@drift/runtime';

export interface TickLoop {
  /** Stops the turns; a tick in progress finishes first. */
  stop(): Promise<void>;
}

export function startTickLoop(options: {
  tick: () => Promise<void>;
  everyMs: number;
  logger: Pick<LoggerLike, 'warn' | 'error'>;
  /** What failed, in the log line (`<what> failed`). */
  what: string;
  /** After each tick that succeeded (the heartbeat status). */
  after?: () => void;
}): TickLoop {
  const { tick, everyMs, logger, what, after } = options;
  const failures = new FailureStreak();
  const failedLine = `${what} failed`;
  let running: Promise<void> | undefined;
  const turn = () => {
    running ??= tick()
      .then(
        () => {
          failures.succeeded();
          after?.();
        },
        (err: unknown) =>
          logger[failures.failed(err)]({ err, failingForMs: failures.failingForMs() }, failedLine),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(turn, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
