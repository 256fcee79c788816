/**
 * The three line formats, and the parser the tools use to read them back.
 *   compact: 2025-08-30 21:49:03,511 | jit-mm-swift | INFO | Order filled market=SOL-PERP orderId=42
 *   verbose: 2025-08-30 21:49:03,511 | jit-mm-swift | INFO | onTaker:193 | Order filled market=SOL-PERP
 *   json:    pino's NDJSON ({"level":30,"time":...,"app":"jit-mm-swift","msg":"Order filled",...})
 * Times are UTC. One record is one line, except an error's stack, which follows on lines indented by
 * four spaces (a reader joins them back to the record above).
 */
import { readCall } from './call.js';
import { CONTROL_RANGE, escapeControls, escapeControlsButNewline, escapeJsonLine } from './escape.js';
import { levelFromLabel, levelLabel } from './levels.js';
import { isSecretKey, REDACTED, redactString, scrub } from './redact.js';

/** A record as pino serialized it (after redaction). */
export interface LogRecord {
  level: number;
  time: number;
  msg?: string;
  app?: string;
  caller?: string;
  err?: { type?: string; message?: string; stack?: string };
  [field: string]: unknown;
}

/** Keys that are columns of the line, not key=value fields. */
const COLUMN_KEYS = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'caller', 'err', 'name']);

let cachedSecond = -1;
let cachedPrefix = '';
/** `,000` .. `,999`: the milliseconds of a time, made once. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => `,${String(ms).padStart(3, '0')}`);

/** `2025-08-30 21:49:03` (UTC) for a time in whole seconds; cached, as most lines share it. */
export function secondText(second: number): string {
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }
  return cachedPrefix;
}

/** `2025-08-30 21:49:03,511` (UTC). */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  return secondText(second) + MILLIS[ms - second * 1000];
}

/** A value or key printed as is; anything else is JSON-quoted (with no control character raw). */
export const BARE = new RegExp(`^[^\\s="${CONTROL_RANGE}]+$`);
const BARE_KEY = /^[A-Za-z_][\w.-]*$/;

export const quoted = (text: string) => escapeJsonLine(JSON.stringify(text));

/** One field value as text, scrubbed: the text formats never build a scrubbed copy of the record. */
export function fieldValue(secret: boolean, v: unknown): string {
  switch (typeof v) {
    case 'string': {
      if (secret) return REDACTED;
      const clean = redactString(v);
      return clean !== '' && BARE.test(clean) ? clean : quoted(clean);
    }
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return v.toString();
    default:
      if (v === null) return 'null';
      if (secret) return REDACTED;
      return escapeJsonLine(JSON.stringify(scrub(v)) ?? escapeControls(String(v)));
  }
}

/** What a field's key needs on every line: its ` key=` text made once (fewer strings per line), and its class. */
export interface FieldKey {
  prefix: string;
  /** `prefix` as UTF-8. */
  prefixBytes: Uint8Array;
  secret: boolean;
  column: boolean;
}
const fieldKeys = new Map<string, FieldKey>();

export function fieldKey(key: string): FieldKey {
  let k = fieldKeys.get(key);
  if (k === undefined) {
    // A key is text of the caller's too: one with a space, `=` or a newline would forge a field or a line.
    const text = BARE_KEY.test(key) ? key : quoted(key);
    k = {
      prefix: ` ${text}=`,
      prefixBytes: Buffer.from(` ${text}=`),
      secret: isSecretKey(key),
      column: COLUMN_KEYS.has(key),
    };
    if (fieldKeys.size < 10_000) fieldKeys.set(key, k);
  }
  return k;
}

/** ` key=value` for each field of `obj` but the line's own columns, secrets redacted. */
export function fieldsText(obj: object | undefined): string {
  if (!obj) return '';
  let out = '';
  const o = obj as Record<string, unknown>;
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const k = fieldKey(key);
    const v = o[key];
    if (k.column || v === undefined) continue;
    out += k.prefix;
    out += fieldValue(k.secret, v);
  }
  return out;
}

type ErrorLike = { type?: string; name?: string; message?: string; stack?: string };

/** An error's stack on the following lines, indented by four spaces. */
export function stackText(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const e = err as ErrorLike;
  const text = escapeControlsButNewline(
    redactString(e.stack ?? `${e.type ?? e.name ?? 'Error'}: ${e.message ?? ''}`),
  );
  return `\n    ${text
    .split('\n')
    .map((l) => l.trim())
    .join('\n    ')}`;
}

export interface TextLine {
  time: number;
  app: string;
  level: number;
  msg: string;
  /** From `fieldsText`, already ` key=value ...`. */
  fields: string;
  /** From `stackText`, or ''. */
  stack: string;
  /** `fn:line`: present in the verbose format only. */
  caller?: string;
}

const COLOURS: Record<number, string> = {
  10: '\x1b[90m',
  20: '\x1b[36m',
  30: '\x1b[32m',
  40: '\x1b[33m',
  50: '\x1b[31m',
  60: '\x1b[35;1m',
};

/** ` | app | LEVEL |` per app and level, made once: every line of an app starts with one of six. */
const heads = new Map<string, string[]>();

export function head(app: string, level: number, colour: boolean): string {
  const label = levelLabel(level);
  if (colour) return ` | ${app} | ${COLOURS[level] ?? ''}${label}\x1b[0m |`;
  let byLevel = heads.get(app);
  if (byLevel === undefined) {
    byLevel = [];
    if (heads.size < 1_000) heads.set(app, byLevel);
  }
  const slot = level / 10;
  if (!Number.isInteger(slot)) return ` | ${app} | ${label} |`; // a custom level
  let text = byLevel[slot];
  if (text === undefined) {
    text = ` | ${app} | ${label} |`;
    byLevel[slot] = text;
  }
  return text;
}

/** The line; `withCaller` false renders the compact format of a call captured for verbose. */
export function textLine(l: TextLine, colour = false, withCaller = true): string {
  const caller = !withCaller || l.caller === undefined ? '' : ` ${escapeControls(l.caller)} |`;
  return `${formatTime(l.time)}${head(l.app, l.level, colour)}${caller} ${escapeControls(redactString(l.msg))}${l.fields}${l.stack}\n`;
}

function recordLine(rec: LogRecord, app: string, caller?: string): TextLine {
  const err = rec.err as ErrorLike | undefined;
  return {
    time: rec.time,
    app,
    level: rec.level,
    msg: rec.msg ?? err?.message ?? '',
    fields: fieldsText(rec),
    stack: stackText(err),
    ...(caller !== undefined ? { caller } : {}),
  };
}

/** pino's NDJSON record for a call (`{"level":30,"time":..,"pid":..,"app":..,...,"msg":..}`), scrubbed. */
export function jsonLine(
  level: number,
  app: string,
  bindings: Record<string, unknown> | undefined,
  args: unknown[],
): string {
  const { fields, err, msg } = readCall(args);
  const rec: Record<string, unknown> = { level, time: Date.now(), pid: process.pid, app, ...bindings };
  if (fields) Object.assign(rec, scrub(fields));
  if (err !== undefined && rec.err === undefined) rec.err = scrub(err);
  rec.msg = redactString(msg);
  return `${escapeJsonLine(JSON.stringify(rec))}\n`;
}

export function formatCompact(rec: LogRecord, app = rec.app ?? ''): string {
  return textLine(recordLine(rec, app));
}

export function formatVerbose(rec: LogRecord, app = rec.app ?? '', colour = false): string {
  return textLine(recordLine(rec, app, rec.caller ?? '?'), colour);
}

/** A line read back from any format. `fields` holds the key=value (or JSON) fields. */
export interface ParsedLogLine {
  time: Date;
  app: string;
  /** `info`, `warn`, ... */
  level: string;
  /** pino's numeric level. */
  levelValue: number;
  msg: string;
  fields: Record<string, unknown>;
  caller?: string;
}

const TEXT_LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \| ([^|]*?) \| ([A-Z]+) \| (.*)$/;
const CALLER = /^([^\s|]+:\d+|\?) \| (.*)$/;
const TRAILING_FIELD = /\s([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S+)$/;

function parseValue(raw: string): unknown {
  if (raw.startsWith('"') || raw.startsWith('{') || raw.startsWith('[')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Parses one line of any of the three formats; undefined for a stack continuation line or
 * anything else that is not the start of a record.
 */
export function parseLogLine(line: string): ParsedLogLine | undefined {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (text.startsWith('{')) {
    let rec: LogRecord;
    try {
      rec = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof rec.level !== 'number' || typeof rec.time !== 'number') return undefined;
    const fieldsOut: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) if (!COLUMN_KEYS.has(k)) fieldsOut[k] = v;
    if (rec.err) fieldsOut.err = rec.err;
    return {
      time: new Date(rec.time),
      app: String(rec.app ?? rec.name ?? ''),
      level: levelLabel(rec.level).toLowerCase(),
      levelValue: rec.level,
      msg: String(rec.msg ?? rec.err?.message ?? ''),
      fields: fieldsOut,
      ...(rec.caller ? { caller: String(rec.caller) } : {}),
    };
  }
  const m = TEXT_LINE.exec(text);
  if (!m) return undefined;
  const [, when, millis, app, label, restAll] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const levelValue = levelFromLabel(label);
  if (levelValue === undefined) return undefined;
  let rest = restAll;
  let caller: string | undefined;
  const c = CALLER.exec(rest);
  if (c) {
    caller = c[1];
    rest = c[2]!;
  }
  const found: [string, unknown][] = [];
  for (let f = TRAILING_FIELD.exec(rest); f; f = TRAILING_FIELD.exec(rest)) {
    found.unshift([f[1]!, parseValue(f[2]!)]);
    rest = rest.slice(0, f.index);
  }
  return {
    time: new Date(`${when.replace(' ', 'T')}.${millis}Z`),
    app,
    level: levelLabel(levelValue).toLowerCase(),
    levelValue,
    msg: rest,
    fields: Object.fromEntries(found),
    ...(caller && caller !== '?' ? { caller } : {}),
  };
}
