/**
 * Turns zod issues into one-line messages that name the path and show the offending value safely:
 * `apps.hedge-bot.subAccount: -1 is not a non-negative integer`. Shared by config and IPC validation.
 */
import type { z } from 'zod';
import { knownKeysAt, nearestKey } from './nearest-key.js';
import { showValue } from './redact.js';

type Issue = z.core.$ZodIssue;

/**
 * `path: value problem`, with the value shown safely and the env var named when it set the value.
 * With the `schema`, an unknown key names the nearest known one.
 */
export function formatIssue(
  issue: Issue,
  raw: unknown,
  fromEnv = new Map<string, string>(),
  schema?: z.ZodType,
): string {
  const path = issue.path;
  const where = path.length ? path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    if (path[0] === 'wallet' && path.length === 1)
      return `wallet: unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: wallet takes only keypairPath (a file path); never put key material in the config`;
    const known = schema ? knownKeysAt(schema, path) : undefined;
    let suggested = false;
    const keys = issue.keys
      .map((k) => {
        const near = known && nearestKey(k, known);
        suggested ||= near !== undefined;
        return near ? `${JSON.stringify(k)} (did you mean ${JSON.stringify(near)}?)` : JSON.stringify(k);
      })
      .join(', ');
    const hint = suggested
      ? ''
      : known
        ? ` (known keys: ${known.join(', ')})`
        : ' (misspelt? see the config reference)';
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${hint}`;
  }
  if (issue.code === 'invalid_key') {
    const key = String(path[path.length - 1]);
    const parent = path.slice(0, -1).map(String).join('.') || '(top level)';
    const why = issue.issues[0]?.message ?? 'is not a valid key';
    return `${parent}: key ${JSON.stringify(key)} ${why}`;
  }
  const value = getPath(raw, path);
  const envVar = fromEnv.get(path.map(String).join('.'));
  const suffix = envVar ? ` (set by ${envVar})` : '';
  if (value === undefined) return `${where}: missing (required)${suffix}`;
  return `${where}: ${showValue(value, path)} ${describe(issue)}${suffix}`;
}

/** Our messages are predicates in lower case; zod's defaults are rephrased by issue code. */
function describe(issue: Issue): string {
  if (/^[a-z]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `is not ${article(issue.expected)}`;
    case 'invalid_value':
      return `is not one of ${issue.values.map(String).join('|')}`;
    case 'too_small':
      return `is below the minimum ${String(issue.minimum)}`;
    case 'too_big':
      return `is above the maximum ${String(issue.maximum)}`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return 'is not valid';
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function getPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
