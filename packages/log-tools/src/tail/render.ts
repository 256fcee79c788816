// How tail prints a record: the raw lines (coloured by level on a TTY) or one JSON object.
import type { LogRecord } from './sources.js';

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
      `${JSON.stringify({
        time: new Date(rec.time).toISOString(),
        app: rec.app,
        level: rec.parsed.level,
        msg: rec.parsed.msg,
        fields: rec.parsed.fields,
        ...(rec.text.includes('\n') ? { stack: rec.text.slice(rec.text.indexOf('\n') + 1) } : {}),
      })}\n`;
  }
  if (!colour) return (rec) => `${rec.text}\n`;
  return (rec) => {
    const rank = rec.parsed.levelValue;
    const code = COLOUR.find(([min]) => rank >= min)?.[1] ?? '';
    return code ? `${code}${rec.text}\x1b[0m\n` : `${rec.text}\n`;
  };
}
