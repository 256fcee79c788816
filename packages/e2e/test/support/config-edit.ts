/** The example fleet config as an object, and dotted-path edits on it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './processes.js';

export function exampleConfig(): Record<string, unknown> {
  return parse(readFileSync(join(ROOT, 'drift-bots.yaml'), 'utf8')) as Record<string, unknown>;
}

/** `setPath(o, 'apps.hedge-bot.subAccount', -1)`: creates the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

export function withEdits(
  base: Record<string, unknown>,
  edits: Record<string, unknown>,
): Record<string, unknown> {
  const copy = structuredClone(base);
  for (const [path, value] of Object.entries(edits)) setPath(copy, path, value);
  return copy;
}
