export {
  CliUsageError,
  type CommandLine,
  type FlagOptions,
  type FlagValuesOf,
  parseCommandLine,
  parseFlags,
  usageMessage,
} from './command-line.js';
export { type ConsoleTarget, captureConsole } from './console-capture.js';
export { DriftError, type DriftErrorCode, errorMessage } from './errors.js';
export { escapeControls, escapeJsonLine } from './escape.js';
export {
  closeAll as closeLogs,
  type FlushResult,
  flushAll as flushLogs,
  flushLogsSync,
} from './exit-hooks.js';
export type { Unwritten } from './file-sink.js';
export { isLogFileOf, type LogFileInfo, listLogFiles, logFilePath, sweepRetention } from './files.js';
export {
  formatCompact,
  formatTime,
  formatVerbose,
  type LogRecord,
  type ParsedLogLine,
  parseLogLine,
} from './format.js';
export { SHORT_GC_PAUSE_FLAGS } from './gc-flags.js';
export { LEVEL_VALUES, LEVELS, type LogLevel, levelLabel } from './levels.js';
export {
  type CreateLoggerOptions,
  createLogger,
  type Logger,
  setupCriticalLogging,
  setupUtilityLogging,
} from './logger.js';
export type { LoggerLike, LogMethod } from './logger-like.js';
export {
  FORMATS,
  LOG_DEFAULTS,
  type LogFormat,
  LoggingConfigError,
  type LoggingOptions,
  resolveLogDir,
} from './options.js';
export { REDACTED, redactString, scrub as redactValue } from './redact.js';
export { criticalApps, declaresCritical, isCriticalApp } from './registry.js';
export { findWorkspaceRoot } from './workspace.js';
