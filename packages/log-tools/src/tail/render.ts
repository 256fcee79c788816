// How tail prints a record: the raw lines (coloured by level on a TTY) or one JSON object.
import { escapeControls, escapeJsonLine } from '@drift/logging';
import type { LogRecord } from './sources.js';

/**
 * A record's text as it may reach a terminal: a file written by anything (an older logger, another
 * tool, an attacker with write access) may hold ESC or other controls; they are printed escaped.
 * The newlines between a record and its stack lines stay.
 */
const safeText = (text: string) => text.split('\n').map(escapeControls).join('\n');

const COLOUR: [number, string][] = [
  [60, '\x1b[1;35m'],
  [50, '\x1b[31m'],
  [40, '\x1b[33m'],
  [30, ''],
  [0, '\x1b[2m'],
];

export function renderer(json: boolean, colour: boolean): (rec: LogRecord) => string {
  if (json) {
    return (rec) =>
      `${escapeJsonLine(
        JSON.stringify({
          time: new Date(rec.time).toISOString(),
          app: rec.app,
          level: rec.parsed.level,
          msg: rec.parsed.msg,
          fields: rec.parsed.fields,
          ...(rec.text.includes('\n') ? { stack: rec.text.slice(rec.text.indexOf('\n') + 1) } : {}),
        }),
      )}\n`;
  }
  if (!colour) return (rec) => `${safeText(rec.text)}\n`;
  return (rec) => {
    const rank = rec.parsed.levelValue;
    const code = COLOUR.find(([min]) => rank >= min)?.[1] ?? '';
    const text = safeText(rec.text);
    return code ? `${code}${text}\x1b[0m\n` : `${text}\n`;
  };
}
