/// <reference path="./quick-format.d.ts" />
/**
 * createLogger and the two entry points every process uses. pino builds and serializes the
 * records; this package scrubs them (redact.ts), formats them per sink (format.ts) and writes them
 * (file-sink.ts, console), with exit hooks that lose nothing (exit-hooks.ts).
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import quickFormat from 'quick-format-unescaped';
import { callerOf } from './caller.js';
import { registerFatalLogger, registerSink } from './exit-hooks.js';
import { FileSink } from './file-sink.js';
import { sweepRetention } from './files.js';
import { fieldsText, stackText, type TextLine, textLine } from './format.js';
import { lockLogFile } from './lock.js';
import { type LoggingOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { REDACTED, redactString, scrub } from './redact.js';
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
  const timer = setInterval(
    () => sweepRetention(o.appName, o.logDir, o.retentionDays, Date.now(), file),
    RETENTION_SWEEP_MS,
  );
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

/** Writes one call, already split into the parts of a text line. */
type TextWriter = (line: TextLine) => void;

/** Warnings and worse on stderr, like the rest of the ecosystem. */
const consoleStream = (level: number) => (level >= 40 ? process.stderr : process.stdout);

const BINDINGS = Symbol('drift.logging.bindings');
/** A logger with its child bindings pre-rendered as ` key=value` text (done once per child). */
type WithBindings = Logger & { [BINDINGS]?: string };

/** pino's call convention, (obj?, msg?, ...format args), as the parts of a text line. */
function toTextLine(level: number, app: string, bindings: string, args: unknown[]): TextLine {
  // Index arithmetic, not destructuring: this runs on every call.
  let first = args[0];
  let next = 1;
  let fields: Record<string, unknown> | undefined;
  let err: unknown;
  if (first instanceof Error) {
    err = first;
    first = args.length > 1 ? args[next++] : first.message;
  } else if (first !== null && typeof first === 'object') {
    fields = first as Record<string, unknown>;
    err = fields.err;
    first = args[next++];
  } else if (first === undefined) {
    first = args[next++];
  }
  const msg = typeof first === 'string' && args.length > next ? quickFormat(first, args.slice(next)) : first;
  return {
    time: Date.now(),
    app,
    level,
    msg: msg === undefined || msg === null ? ((err as Error | undefined)?.message ?? '') : String(msg),
    fields: bindings + fieldsText(fields),
    stack: stackText(err),
  };
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const { appName, critical: criticalOpt, ...rest } = options;
  const critical = criticalOpt ?? isCriticalApp(appName);
  const o = resolveOptions(appName, critical, rest);
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

  // compact and verbose lines are formatted straight from the call's arguments; only json sinks
  // need pino's own serialization (and its `redact` paths).
  const text: TextWriter[] = [];
  const json: ((line: string) => void)[] = [];
  if (o.enableFileLogging) {
    const sink = fileSinkFor(o);
    if (o.fileFormat === 'json') json.push((line) => sink.write(line));
    else {
      const verbose = o.fileFormat === 'verbose';
      text.push((l) => sink.write(textLine(l, false, verbose)));
    }
  }
  if (o.enableConsoleLogging) {
    if (o.consoleFormat === 'json') json.push((line) => process.stdout.write(line));
    else {
      const verbose = o.consoleFormat === 'verbose';
      text.push((l) => consoleStream(l.level).write(textLine(l, colour, verbose)));
    }
  }
  const needsCaller =
    (o.enableConsoleLogging && o.consoleFormat === 'verbose') ||
    (o.enableFileLogging && o.fileFormat === 'verbose');
  const redactPaths = o.redact.map((p) => p.split('.'));

  const logger = pino(
    {
      level: o.logLevel,
      base: { app: appName, pid: process.pid },
      timestamp: pino.stdTimeFunctions.epochTime,
      ...(o.redact.length ? { redact: { paths: o.redact, censor: REDACTED } } : {}),
      formatters: {
        log: (obj) => scrub(obj) as Record<string, unknown>,
        bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method, level) {
          if (text.length) {
            const call = redactPaths.length ? redactArgs(args, redactPaths) : args;
            const line = toTextLine(level, appName, (this as WithBindings)[BINDINGS] ?? '', call);
            if (needsCaller) line.caller = callerOf();
            for (const write of text) write(line);
          }
          if (json.length) {
            method.apply(this, args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as typeof args);
          }
        },
      },
    },
    {
      write: (line: string) => {
        for (const w of json) w(line);
      },
    },
  );

  // pino formats a child's bindings without the bindings formatter: scrub them on the way in, and
  // keep them as an object for the text formats. Children are created with Object.create(parent),
  // so they inherit this `child` too.
  const pinoChild = logger.child as unknown as (
    this: Logger,
    b: pino.Bindings,
    o?: pino.ChildLoggerOptions,
  ) => Logger;
  logger.child = function child(
    this: WithBindings,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions,
  ) {
    const instance = pinoChild.call(this, scrub(bindings) as pino.Bindings, childOptions) as WithBindings;
    instance[BINDINGS] = (this[BINDINGS] ?? '') + fieldsText(bindings);
    return instance;
  } as unknown as typeof logger.child;
  if (text.length || json.length) {
    registerFatalLogger((err, origin) =>
      logger.fatal({ err, origin }, 'uncaught exception: the process exits'),
    );
  }
  return logger;
}

/** The `redact` option's dot paths, applied to the text formats too (on a copy of the call's fields). */
function redactArgs(args: unknown[], paths: string[][]): unknown[] {
  const [first, ...rest] = args;
  if (first === null || typeof first !== 'object' || first instanceof Error) return args;
  const copy = structuredClone(scrub(first)) as Record<string, unknown>;
  for (const keys of paths) {
    let node: unknown = copy;
    for (const k of keys.slice(0, -1))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    const last = keys.at(-1)!;
    if (node && typeof node === 'object' && last in node) (node as Record<string, unknown>)[last] = REDACTED;
  }
  return [copy, ...rest];
}

/** Bots, infrastructure, risk, orchestrator: file (compact) + console (verbose). */
export function setupCriticalLogging(appName: string, options: LoggingOptions = {}): Logger {
  return createLogger({ ...options, appName, critical: true });
}

/** Tests, scripts, tools: console only, unless options or env say otherwise. */
export function setupUtilityLogging(appName: string, options: LoggingOptions = {}): Logger {
  return createLogger({ ...options, appName, critical: false });
}
