/**
 * createLogger and the two entry points every process uses. pino decides levels and makes child
 * loggers; this package renders each call itself, scrubbed (redact.ts) and escaped (escape.ts), per
 * sink (format.ts; a lone compact file straight into its bytes, compact-bytes.ts), and writes it
 * (file-sink.ts, console), with exit hooks that lose nothing (exit-hooks.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { readCall } from './call.js';
import { callerOf } from './caller.js';
import { writeCompactLine } from './compact-bytes.js';
import { registerFatalLogger, registerSink } from './exit-hooks.js';
import { FileSink } from './file-sink.js';
import { sweepRetention } from './files.js';
import { fieldsText, jsonLine, stackText, type TextLine, textLine } from './format.js';
import { lockLogFile } from './lock.js';
import { LoggingConfigError, type LoggingOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { REDACTED, scrub } from './redact.js';
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

/**
 * A critical app that cannot open its log file at start must not run on without one: the reason
 * and the way out, as a configuration error. (Trouble that starts later is the sink's to ride out.)
 */
function checkOpens(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.closeSync(fs.openSync(file, 'a'));
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    const reason = code && !message.startsWith(code) ? `${code}: ${message}` : message; // Node's start with it
    throw new LoggingConfigError(
      `cannot open the log file ${file} (${reason}): make its directory writable, ` +
        'set LOG_DIR to one that is, or LOG_FILE_ENABLED=false to run without a log file',
    );
  }
}

function fileSinkFor(o: ResolvedOptions, critical: boolean): FileSink {
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
  if (critical) {
    try {
      checkOpens(file);
    } catch (err) {
      if (lock.owned) lock.release();
      throw err;
    }
  }
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

/**
 * Each child's bindings, pre-rendered once when pino creates the child (its public `onChild` hook
 * and `bindings()`): as ` key=value` text for the text formats, as a scrubbed object for json.
 */
interface ChildBindings {
  text: string;
  fields: Record<string, unknown>;
}
const childBindings = new WeakMap<Logger, ChildBindings>();

function rememberBindings(child: Logger): void {
  const { app: _app, ...bound } = child.bindings();
  childBindings.set(child, { text: fieldsText(bound), fields: scrub(bound) as Record<string, unknown> });
}

/** A call as the parts of a text line. */
function toTextLine(level: number, app: string, bindings: string, args: unknown[]): TextLine {
  const { fields, err, msg } = readCall(args);
  return { time: Date.now(), app, level, msg, fields: bindings + fieldsText(fields), stack: stackText(err) };
}

/** A call as its compact line, rendered into the sink's queue without a string per line. */
function writeCompactCall(
  sink: FileSink,
  level: number,
  app: string,
  bindings: string,
  args: unknown[],
): void {
  const { fields, err, msg } = readCall(args);
  const time = Date.now();
  const q = sink.beginLine();
  if (q === undefined) {
    // closed, or a field's getter logs while this line is written: the line as a string
    sink.write(
      textLine(
        { time, app, level, msg, fields: bindings + fieldsText(fields), stack: stackText(err) },
        false,
        false,
      ),
    );
    return;
  }
  try {
    writeCompactLine(q, time, app, level, msg, bindings, fields, err);
  } catch (e) {
    sink.abortLine();
    throw e;
  }
  sink.endLine();
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
  const fileSink = o.enableFileLogging ? fileSinkFor(o, critical) : undefined;
  const consoleText = o.enableConsoleLogging && o.consoleFormat !== 'json';
  // A compact file with no text console: each line is rendered straight into the file's bytes.
  const compactFile = fileSink && o.fileFormat === 'compact' && !consoleText ? fileSink : undefined;
  if (fileSink && !compactFile) {
    if (o.fileFormat === 'json') json.push((line) => fileSink.write(line));
    else {
      const verbose = o.fileFormat === 'verbose';
      text.push((l) => fileSink.write(textLine(l, false, verbose)));
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

  // pino decides the level and makes the children; every line is written here, from the call's
  // own arguments (pino's serializer never runs: its output would be scrubbed, escaped and parsed
  // again for the text formats).
  const logger: Logger = pino(
    {
      level: o.logLevel,
      base: { app: appName },
      onChild: rememberBindings,
      hooks: {
        logMethod(args, _method, level) {
          const call = redactPaths.length ? redactArgs(args, redactPaths) : args;
          const bound = childBindings.get(this);
          if (compactFile) writeCompactCall(compactFile, level, appName, bound?.text ?? '', call);
          if (text.length) {
            const line = toTextLine(level, appName, bound?.text ?? '', call);
            if (needsCaller) line.caller = callerOf();
            for (const write of text) write(line);
          }
          if (json.length) {
            const line = jsonLine(level, appName, bound?.fields, call);
            for (const write of json) write(line);
          }
        },
      },
    },
    { write: () => {} },
  );

  if (compactFile || text.length || json.length) {
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

/**
 * The entry points run first thing in a process: a configuration error (LOG_LEVEL=loud, a log file
 * a critical app cannot open) is reported on one line and the process exits 2, like every other
 * configuration error of the fleet, rather than as an uncaught exception. `createLogger` throws.
 */
function atEntry(appName: string, options: CreateLoggerOptions): Logger {
  try {
    return createLogger(options);
  } catch (err) {
    if (!(err instanceof LoggingConfigError)) throw err;
    process.stderr.write(`${appName}: ${err.message}\n`);
    process.exit(2);
  }
}

/** Bots, infrastructure, risk, orchestrator: file (compact) + console (verbose). */
export function setupCriticalLogging(appName: string, options: LoggingOptions = {}): Logger {
  return atEntry(appName, { ...options, appName, critical: true });
}

/** Tests, scripts, tools: console only, unless options or env say otherwise. */
export function setupUtilityLogging(appName: string, options: LoggingOptions = {}): Logger {
  return atEntry(appName, { ...options, appName, critical: false });
}
