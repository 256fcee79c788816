/**
 * A call rendered as its compact line straight into the file's byte queue: the same bytes as
 * `textLine` (format.ts) encoded, without building the line's string. Only the parts that are
 * not plain text already (a quoted value, an object, a stack) are made as strings; a line of
 * names, numbers and bigints allocates nothing here.
 */
import type { ByteQueue } from './byte-queue.js';
import { escapeControls } from './escape.js';
import { BARE, fieldKey, fieldValue, head, quoted, secondText, stackText } from './format.js';
import { REDACTED, redactString } from './redact.js';

const COMMA = 44;
const NEWLINE = 10;
const SPACE = 32;
const REDACTED_BYTES = Buffer.from(REDACTED);

/** The parts every line of a second, or of an app and level, shares: encoded once. */
let second = -1;
let secondBytes: Uint8Array = Buffer.alloc(0);
const heads = new Map<string, Uint8Array>();

function headBytes(app: string, level: number): Uint8Array {
  const text = head(app, level, false);
  let bytes = heads.get(text);
  if (bytes === undefined) {
    bytes = Buffer.from(text);
    if (heads.size < 1_000) heads.set(text, bytes);
  }
  return bytes;
}

/**
 * Short texts repeat endlessly (a market, a side, the message): each is scrubbed, escaped and
 * encoded once. Only a text nothing was redacted from is kept, so no secret stays in memory here.
 */
const CACHED_UNITS = 64;
const CACHED_TEXTS = 4_096;
const messages = new Map<string, Uint8Array>();
const values = new Map<string, Uint8Array>();

function renderedOnce(
  cache: Map<string, Uint8Array>,
  text: string,
  render: (clean: string) => string,
): Uint8Array | string {
  let bytes = cache.get(text);
  if (bytes !== undefined) return bytes;
  const clean = redactString(text);
  const out = render(clean);
  if (clean !== text || text.length > CACHED_UNITS || cache.size >= CACHED_TEXTS) return out;
  bytes = Buffer.from(out);
  cache.set(text, bytes);
  return bytes;
}

const messageText = (clean: string) => escapeControls(clean);
const valueText = (clean: string) => (clean !== '' && BARE.test(clean) ? clean : quoted(clean));

function writeText(q: ByteQueue, text: Uint8Array | string): void {
  if (typeof text === 'string') q.utf8(text);
  else q.copy(text);
}

/** ` key=value` for each field, as `fieldsText` writes them. */
function writeFields(q: ByteQueue, o: Record<string, unknown>): void {
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const k = fieldKey(key);
    const v = o[key];
    if (k.column || v === undefined) continue;
    q.copy(k.prefixBytes);
    if (k.secret && v !== null && typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') {
      q.copy(REDACTED_BYTES);
    } else if (typeof v === 'string') {
      writeText(q, v.length > CACHED_UNITS ? valueText(redactString(v)) : renderedOnce(values, v, valueText));
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      q.integer(v);
    } else if (typeof v === 'bigint') {
      // exact whenever the result is a safe integer: a larger bigint rounds to an unsafe one
      const n = Number(v);
      if (Number.isSafeInteger(n)) q.integer(n);
      else q.utf8(v.toString());
    } else {
      q.utf8(fieldValue(k.secret, v));
    }
  }
}

/** `2025-08-30 21:49:03,511 | app | INFO | msg key=value...` and the stack, into `q` (begun). */
export function writeCompactLine(
  q: ByteQueue,
  time: number,
  app: string,
  level: number,
  msg: string,
  bindings: string,
  fields: Record<string, unknown> | undefined,
  err: unknown,
): void {
  const s = Math.floor(time / 1000);
  if (s !== second) {
    secondBytes = Buffer.from(secondText(s));
    second = s;
  }
  const ms = time - s * 1000;
  q.copy(secondBytes);
  q.byte(COMMA);
  if (ms < 100) q.byte(48);
  if (ms < 10) q.byte(48);
  q.integer(ms);
  q.copy(headBytes(app, level));
  q.byte(SPACE);
  writeText(
    q,
    msg.length > CACHED_UNITS ? messageText(redactString(msg)) : renderedOnce(messages, msg, messageText),
  );
  if (bindings) q.utf8(bindings);
  if (fields) writeFields(q, fields);
  if (err) q.utf8(stackText(err));
  q.byte(NEWLINE);
}
