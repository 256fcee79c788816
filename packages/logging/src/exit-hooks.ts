/**
 * No line lost when the process ends, whatever ends it:
 * - normal exit and `process.exit()`: the 'exit' event flushes every file synchronously;
 * - uncaught exceptions and unhandled rejections: 'uncaughtExceptionMonitor' logs the error as
 *   FATAL and flushes, without changing what Node does next (print, exit 1). An app with its own
 *   'uncaughtException' handler decides instead (it may log, clean up and exit, or go on): then
 *   this logs nothing (one FATAL line, the app's) and flushes only what is safe while it runs;
 * - SIGTERM, SIGINT, SIGHUP: flush; then, if the app has no handler of its own, re-raise the
 *   signal so the process dies as it would have (same signal, same exit status). If it has one,
 *   the app decides, and its own exit flushes again.
 * A sink stays under these hooks until `closeLogs()` has closed it, so an exit, a signal or a crash
 * while it closes still lands every pending line. Once every sink is closed (later lines are
 * appended synchronously) the signal handlers are removed: the process dies of a signal as if the
 * logger had never been there, even when nothing else keeps it alive.
 * SIGKILL and an OOM kill cannot be caught: what was still pending in memory is lost there.
 */
import type { FileSink, Unwritten } from './file-sink.js';

const sinks = new Set<FileSink>();
const fatalLoggers = new Set<(err: unknown, origin: string) => void>();
let installed = false;

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

export function flushAllSync(final = true): void {
  for (const sink of sinks) sink.flushSync(final);
}

/** For an app that goes on running: writes what it safely can now, never a line twice. */
export function flushLogsSync(): void {
  flushAllSync(false);
}

/** What `flushLogs()` resolves to: `complete`, or the files whose lines are still held, and why. */
export interface FlushResult {
  complete: boolean;
  unwritten: Unwritten[];
}

export async function flushAll(): Promise<FlushResult> {
  const reports = await Promise.all([...sinks].map((s) => s.flush()));
  const unwritten = reports.filter((r): r is Unwritten => r !== undefined);
  return { complete: unwritten.length === 0, unwritten };
}

export async function closeAll(): Promise<void> {
  const all = [...sinks];
  await Promise.all(all.map((s) => s.close()));
  for (const sink of all) sinks.delete(sink);
  if (sinks.size === 0) removeSignalHandlers();
}

export function registerSink(sink: FileSink): void {
  sinks.add(sink);
  install();
}

export function unregisterSink(sink: FileSink): void {
  sinks.delete(sink);
}

/** A logger that writes the FATAL line for an uncaught error before the flush. */
export function registerFatalLogger(log: (err: unknown, origin: string) => void): () => void {
  fatalLoggers.add(log);
  return () => fatalLoggers.delete(log);
}

function onSignal(signal: NodeJS.Signals): void {
  // Only this handler: Node's default would have killed the process. Do exactly that.
  if (process.listenerCount(signal) === 1) {
    flushAllSync(true);
    process.removeListener(signal, signalHandlers[signal]!);
    process.kill(process.pid, signal);
    return;
  }
  flushAllSync(false); // the app handles the signal; its exit flushes the rest
}

const signalHandlers: Partial<Record<NodeJS.Signals, () => void>> = {};

function removeSignalHandlers(): void {
  for (const signal of SIGNALS) {
    const handler = signalHandlers[signal];
    if (handler) process.removeListener(signal, handler);
    delete signalHandlers[signal];
  }
}

function install(): void {
  if (!signalHandlers.SIGTERM) {
    for (const signal of SIGNALS) {
      const handler = () => onSignal(signal);
      signalHandlers[signal] = handler;
      process.on(signal, handler);
    }
  }
  if (installed) return;
  installed = true;
  process.on('exit', () => flushAllSync(true));
  process.on('uncaughtExceptionMonitor', (err, origin) => {
    if (process.listenerCount('uncaughtException') > 0) {
      flushAllSync(false);
      return;
    }
    for (const log of fatalLoggers) {
      try {
        log(err, origin);
      } catch {
        // a failing logger must not hide the original error
      }
    }
    flushAllSync();
  });
}
