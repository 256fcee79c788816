/** `pnpm start`: the orchestrator, logging through @drift/logging (see run-main.ts). */
import { flushLogs, logFilePath, parseLogLine, setupCriticalLogging } from '@drift/logging';
import { toParsedLine } from './log-lines.js';
import { runMain } from './run-main.js';

await runMain({
  logger: setupCriticalLogging('orchestrator'),
  flushLogs,
  logs: { fileOf: logFilePath, parse: (line) => toParsedLine(parseLogLine(line)) },
});
