/**
 * Preloaded (`--import`) into every child the orchestrator starts, so that no child outlives it even
 * if the app forgets to: when the IPC channel to the orchestrator closes (the orchestrator exited or
 * was SIGKILLed) or the parent pid changes, the child sends itself SIGTERM (its own graceful stop runs:
 * cancel orders, flush logs) and exits anyway after its shutdown deadline. Apps on @drift/runtime's lifecycle
 * helper handle the lost channel themselves (the simulator and infrastructure first wait for the bots
 * to stop, see `stop-after`): for those the guard only bounds that, with the budget the helper
 * publishes. It holds no handle open.
 */
const parentPid = Number(process.env.DRIFT_PARENT_PID);
const deadlineMs = Number(process.env.DRIFT_SHUTDOWN_DEADLINE_MS) || 5_000;
/** @drift/runtime's `ORPHAN_HANDLER_KEY` (not imported: the guard loads nothing into every child). */
const ORPHAN_HANDLER = Symbol.for('drift.lifecycle.orphanHandler');
let orphaned = false;

function lifecycleHandler(): { budgetMs(): number } | undefined {
  return (globalThis as Record<symbol, { budgetMs(): number } | undefined>)[ORPHAN_HANDLER];
}

function onOrphaned(): void {
  if (orphaned) return;
  orphaned = true;
  const handler = lifecycleHandler();
  // Leave time for the app's own stop; a second, unref'd timer ends it if that hangs.
  setTimeout(() => process.exit(1), (handler?.budgetMs() ?? deadlineMs) + 1_000).unref();
  if (!handler) process.kill(process.pid, 'SIGTERM');
  // Parent gone but the channel still open (a grandchild holds it): the helper stops on 'disconnect'.
  else if (process.connected) process.disconnect();
}

if (process.send) {
  process.once('disconnect', onOrphaned);
  if (Number.isInteger(parentPid) && parentPid > 0) {
    setInterval(() => {
      if (process.ppid !== parentPid) onOrphaned();
    }, 500).unref();
  }
}
