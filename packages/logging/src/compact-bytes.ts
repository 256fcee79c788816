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
      const clean = redactString(v);
      q.utf8(clean !== '' && BARE.test(clean) ? clean : quoted(clean));
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
  q.utf8(escapeControls(redactString(msg)));
  if (bindings) q.utf8(bindings);
  if (fields) writeFields(q, fields);
  if (err) q.utf8(stackText(err));
  q.byte(NEWLINE);
}
