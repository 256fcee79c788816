/**
 * Preloaded (`--import`) into every child the orchestrator starts, so that no child outlives it even
 * if the app forgets to: when the IPC channel to the orchestrator closes (the orchestrator exited or
 * was SIGKILLed) or the parent pid changes, the child sends itself SIGTERM (its own graceful stop runs:
 * cancel orders, flush logs) and exits anyway after its shutdown deadline. Apps on core's lifecycle
 * helper already stop on 'disconnect'; this is the safety net. It holds no handle open.
 */
const parentPid = Number(process.env.DRIFT_PARENT_PID);
const deadlineMs = Number(process.env.DRIFT_SHUTDOWN_DEADLINE_MS) || 5_000;
let orphaned = false;

function onOrphaned(): void {
  if (orphaned) return;
  orphaned = true;
  // Leave time for the app's own handler; a second, unref'd timer ends it if that hangs.
  setTimeout(() => process.exit(1), deadlineMs + 1_000).unref();
  process.kill(process.pid, 'SIGTERM');
}

if (process.send) {
  process.once('disconnect', onOrphaned);
  if (Number.isInteger(parentPid) && parentPid > 0) {
    setInterval(() => {
      if (process.ppid !== parentPid) onOrphaned();
    }, 500).unref();
  }
}
