/** A logger for in-process fleets in tests and benchmarks: the real one, silenced. */
import { setupUtilityLogging } from '@drift/logging';

export const quietLogger = () => setupUtilityLogging('orchestrator-test', { logLevel: 'silent' });
