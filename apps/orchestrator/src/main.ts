/** `pnpm start`: the orchestrator, logging through @drift/logging (see run-main.ts). */

import { flushLogs, logFilePath, resolveLogDir, setupCriticalLogging } from '@drift/logging';
import { readCliArgs } from '@drift/runtime';
import { parseAppLogLine } from './log-lines.js';
import { runMain } from './run-main.js';

const USAGE = `usage: pnpm start   (built JS; from source: pnpm --filter orchestrator start)
  no options: runs the fleet in drift-bots.yaml (or the file in DRIFT_BOTS_CONFIG)
  -h, --help  this text
  the fleet CLI over the running orchestrator: pnpm --filter orchestrator fleet status`;

// Refused before the log file, the API or any child starts.
readCliArgs({ app: 'orchestrator', usage: USAGE });

// One log directory for the whole fleet, whatever an app's working directory.
process.env.LOG_DIR ??= resolveLogDir();

await runMain({
  logger: setupCriticalLogging('orchestrator'),
  flushLogs,
  logs: { fileOf: logFilePath, parse: parseAppLogLine },
});
