/** A logger for in-process fleets in tests and benchmarks: the real one, silenced. */
import { type Logger, setupUtilityLogging } from '@drift/logging';

export const quietLogger = (): Logger => setupUtilityLogging('orchestrator-test', { logLevel: 'silent' });
