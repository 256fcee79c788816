/** `pnpm start`: the orchestrator, logging through @drift/logging (see run-main.ts). */
import { flushLogs, logFilePath, parseLogLine, resolveLogDir, setupCriticalLogging } from '@drift/logging';
import { toParsedLine } from './log-lines.js';
import { runMain } from './run-main.js';

// One log directory for the whole fleet, whatever an app's working directory.
process.env.LOG_DIR ??= resolveLogDir();

await runMain({
  logger: setupCriticalLogging('orchestrator'),
  flushLogs,
  logs: { fileOf: logFilePath, parse: (line) => toParsedLine(parseLogLine(line)) },
});
