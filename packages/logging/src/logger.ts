/**
 * createLogger and the two entry points every process uses. pino builds and serializes the
 * records; this package scrubs them (redact.ts), formats them per sink (format.ts) and writes them
 * (file-sink.ts, console), with exit hooks that lose nothing (exit-hooks.ts).
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { callerOf } from './caller.js';
import { registerFatalLogger, registerSink } from './exit-hooks.js';
import { FileSink } from './file-sink.js';
import { sweepRetention } from './files.js';
import { formatCompact, formatVerbose, type LogRecord } from './format.js';
import { lockLogFile } from './lock.js';
import { type LogFormat, type LoggingOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { redactString, scrub } from './redact.js';
import { isCriticalApp } from './registry.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions extends LoggingOptions {
  appName: string;
  /** Critical apps log to file + console, utility code to the console only (default: the registry). */
  critical?: boolean;
}

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/** One file sink per file per process: two loggers of one app share it, so one writer per file. */
const fileSinks = new Map<string, FileSink>();

function fileSinkFor(o: ResolvedOptions): FileSink {
  let file = path.join(o.logDir, `${o.appName}.log`);
  const existing = fileSinks.get(file);
  if (existing) return existing;
  const lock = lockLogFile(file);
  if (!lock.owned) {
    const own = path.join(o.logDir, `${o.appName}.${process.pid}.log`);
    process.stderr.write(
      `[@drift/logging] ${file} is already written by process ${lock.holder}; this process (${process.pid}) writes ${own}\n`,
    );
    file = own;
  } else {
    process.once('exit', lock.release);
  }
  sweepRetention(o.appName, o.logDir, o.retentionDays);
  const timer = setInterval(() => sweepRetention(o.appName, o.logDir, o.retentionDays), RETENTION_SWEEP_MS);
  timer.unref();
  const sink = new FileSink({
    file,
    maxSize: o.maxSize,
    maxFiles: o.maxFiles,
    stderrFallback: !o.enableConsoleLogging,
  });
  fileSinks.set(path.join(o.logDir, `${o.appName}.log`), sink);
  registerSink(sink);
  return sink;
}

type LineWriter = (rec: LogRecord, json: string) => void;

function formatter(
  format: LogFormat,
  app: string,
  colour: boolean,
): (rec: LogRecord, json: string) => string {
  switch (format) {
    case 'json':
      return (_rec, json) => json;
    case 'compact':
      return (rec) => formatCompact(rec, app);
    case 'verbose':
      return (rec) => formatVerbose(rec, app, colour);
  }
}

function consoleWriter(o: ResolvedOptions): LineWriter {
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const format = formatter(o.consoleFormat, o.appName, colour);
  return (rec, json) => {
    const line = format(rec, json);
    // Warnings and worse on stderr, like the rest of the ecosystem.
    (rec.level >= 40 ? process.stderr : process.stdout).write(line);
  };
}

function fileWriter(o: ResolvedOptions): LineWriter {
  const sink = fileSinkFor(o);
  const format = formatter(o.fileFormat, o.appName, false);
  return (rec, json) => sink.write(format(rec, json));
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const { appName, critical: criticalOpt, ...rest } = options;
  const critical = criticalOpt ?? isCriticalApp(appName);
  const o = resolveOptions(appName, critical, rest);
  const writers: LineWriter[] = [];
  if (o.enableFileLogging) writers.push(fileWriter(o));
  if (o.enableConsoleLogging) writers.push(consoleWriter(o));
  const needsCaller =
    (o.enableConsoleLogging && o.consoleFormat === 'verbose') ||
    (o.enableFileLogging && o.fileFormat === 'verbose');

  const destination = {
    write(json: string) {
      const rec = JSON.parse(json) as LogRecord;
      for (const w of writers) w(rec, json);
    },
  };

  const logger = pino(
    {
      level: o.logLevel,
      base: { app: appName, pid: process.pid },
      timestamp: pino.stdTimeFunctions.epochTime,
      ...(o.redact.length ? { redact: { paths: o.redact, censor: '[redacted]' } } : {}),
      formatters: {
        log: (obj) => scrub(obj) as Record<string, unknown>,
        bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const out = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as typeof args;
          if (needsCaller) {
            const caller = callerOf();
            if (out[0] !== null && typeof out[0] === 'object' && !(out[0] instanceof Error)) {
              out[0] = { ...(out[0] as object), caller };
            } else if (out[0] instanceof Error) {
              out[0] = { err: out[0], caller };
            } else {
              out.unshift({ caller } as never);
            }
          }
          return method.apply(this, out as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // pino formats a child's bindings without the bindings formatter: scrub them on the way in.
  // Children are created with Object.create(parent), so they inherit this `child` too.
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, scrub(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  if (writers.length) {
    registerFatalLogger((err, origin) =>
      logger.fatal({ err, origin }, 'uncaught exception: the process exits'),
    );
  }
  return logger;
}

/** Bots, infrastructure, risk, orchestrator: file (compact) + console (verbose). */
export function setupCriticalLogging(appName: string, options: LoggingOptions = {}): Logger {
  return createLogger({ ...options, appName, critical: true });
}

/** Tests, scripts, tools: console only, unless options or env say otherwise. */
export function setupUtilityLogging(appName: string, options: LoggingOptions = {}): Logger {
  return createLogger({ ...options, appName, critical: false });
}
