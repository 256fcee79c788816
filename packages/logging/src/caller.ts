/**
 * `functionName:line` of the code that called the logger, for the verbose console format.
 * Frames of pino, of this package and of Node's internals are skipped. With tsx or source maps
 * enabled, the line is the TypeScript source line.
 */
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
// The demo lives in src/ but plays an app: its frames are the caller's.
const DEMO = fileURLToPath(new URL('./demo.ts', import.meta.url));
const FRAME = /^\s*at (?:(.+?) \()?(.*?):(\d+):\d+\)?$/;

function skip(file: string): boolean {
  return (
    (file.startsWith(HERE) && file !== DEMO) ||
    file.includes('/node_modules/pino/') ||
    file.includes('/pino@') ||
    file.startsWith('node:')
  );
}

export function callerOf(): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.captureStackTrace(holder, callerOf);
  Error.stackTraceLimit = limit;
  const lines = holder.stack?.split('\n') ?? [];
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]!);
    if (!m) continue;
    const file = (m[2] ?? '').replace(/^file:\/\//, '');
    if (skip(file)) continue;
    const fn = m[1]
      ?.replace(/^(async |new )/, '')
      .split('.')
      .at(-1);
    const name =
      fn && fn !== '<anonymous>' && fn !== 'Object.<anonymous>'
        ? fn
        : (file.split('/').at(-1) ?? '?').replace(/\.[cm]?[jt]s$/, '');
    return `${name}:${m[3]}`;
  }
  return '?';
}
