/**
 * Keeps secrets out of error messages: config values under secret-looking keys, inline keypairs,
 * and API keys carried inside RPC / webhook URLs. The logger redacts its own output; this is for
 * the text the config itself builds (config errors).
 */

import { REDACTED } from '@drift/logging';

/** The one marker for a hidden value, in logs and in error messages alike. */
export { REDACTED };

/** Key names whose values are never shown (an inline key under any other name is caught by its shape). */
const SECRET_KEY =
  /(token|secret|password|passphrase|mnemonic|seed[-_]?phrase|private|api[-_]?key|auth|credential|^url$)/i;

/** A base58 string the length of an ed25519 secret key (64 bytes ~ 87-88 chars) or a public key. */
const BASE58_KEY = /^[1-9A-HJ-NP-Za-km-z]{43,100}$/;
/** A JSON byte array like `[12,34,...]` (a Solana CLI keypair file's content). */
const BYTE_ARRAY = /^\s*\[\s*\d{1,3}\s*(,\s*\d{1,3}\s*){15,}\]\s*$/;

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** True when a value looks like key material itself, whatever key it sits under. */
export function looksLikeInlineSecret(value: unknown): boolean {
  if (typeof value === 'string') return BASE58_KEY.test(value.trim()) || BYTE_ARRAY.test(value);
  if (Array.isArray(value)) return value.length >= 32 && value.every((v) => typeof v === 'number');
  if (value instanceof Uint8Array) return true;
  return false;
}

/** A URL's credentials by their shape, for text that does not parse as a URL but looks like one. */
const URLISH = /:\/\/|[?&][^=&\s]*=/;
const MASKS: [RegExp, string][] = [
  [/\/\/[^/@\s]*@/g, `//${REDACTED}@`],
  [/([?&][^=&\s]*=)[^&\s]*/g, `$1${REDACTED}`],
  [/[A-Za-z0-9_:-]{20,}/g, REDACTED],
];

/**
 * Hides credentials in a URL: userinfo, every query value, and path segments long enough to be a
 * token (QuickNode `/<token>/`, Slack/Discord webhook tokens, Telegram `bot<id>:<token>`). Text that
 * does not parse but looks like a URL is masked by shape; anything else is returned unchanged.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return URLISH.test(text) ? MASKS.reduce((out, [re, sub]) => out.replace(re, sub), text) : text;
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, REDACTED);
  url.pathname = url.pathname
    .split('/')
    .map((seg) => (/^[A-Za-z0-9_:-]{20,}$/.test(seg) ? REDACTED : seg))
    .join('/');
  return decodeURI(url.toString());
}

/**
 * A short, safe rendering of a config value for an error message. `path` is the value's location;
 * any secret-looking segment on it hides the value.
 */
export function showValue(value: unknown, path: readonly PropertyKey[] = []): string {
  if (value === undefined) return 'missing';
  if (path.some((seg) => typeof seg === 'string' && isSecretKeyName(seg)) || looksLikeInlineSecret(value)) {
    if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value))
      return JSON.stringify(redactUrl(value));
    return REDACTED;
  }
  if (typeof value === 'string') return JSON.stringify(redactUrl(value));
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
