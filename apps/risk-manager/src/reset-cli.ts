/** Entry of `pnpm --filter risk-manager reset -- --by <name>`. */
import { flushLogs, setupUtilityLogging } from '@drift/logging';
import { parseResetArgs, resetRiskState } from './reset.js';
import { riskStatePath } from './state-path.js';

// Utility logger with a file: the running risk-manager owns its critical log file.
const logger = setupUtilityLogging('risk-manager-reset', { enableFileLogging: true });
try {
  const args = parseResetArgs(process.argv.slice(2));
  const file = riskStatePath();
  const previous = resetRiskState(file, args, logger);
  process.stdout.write(`risk state: ${previous?.state ?? 'none'} -> active (by ${args.by}) in ${file}\n`);
} catch (err) {
  logger.error({ err }, 'risk state reset failed');
  process.exitCode = 2;
}
await flushLogs();
