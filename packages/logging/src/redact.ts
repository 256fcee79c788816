/**
 * Secrets never reach a log line: the logger scrubs every record itself, so no caller can forget.
 * - values under secret-looking keys (secretKey, privateKey, keypair, mnemonic, seed phrase,
 *   password, authorization, token, api key...) at any depth;
 * - 64-byte keys as number arrays, Uint8Arrays or Buffers, wherever they sit;
 * - API keys inside URLs (`?api-key=`, `?apikey=`, `/v2/<key>`, QuickNode tokens, user:pass@) and
 *   bearer tokens inside any string, messages included.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /(secretkey|privatekey|keypair|mnemonic|seedphrase|passphrase|password|authorization|secret|token|apikey|accesskey)$/;

const secretKeyCache = new Map<string, boolean>();

/** Field names repeat endlessly (market, orderId...): decide each once. */
export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    const k = key.toLowerCase().replace(/[-_\s]/g, '');
    secret = SECRET_KEY.test(k) || k === 'seed' || k === 'auth';
    if (secretKeyCache.size < 10_000) secretKeyCache.set(key, secret);
  }
  return secret;
}

const URL_SECRETS: [RegExp, string][] = [
  // query parameters that carry keys
  [/([?&](?:api[-_]?key|key|token|access[-_]?token|auth)=)[^&#\s"'<>]+/gi, `$1${REDACTED}`],
  // Alchemy-style /v2/<key> and /v3/<key>
  [/(\/v[23]\/)[A-Za-z0-9_-]{16,}/g, `$1${REDACTED}`],
  // QuickNode-style https://name.solana-mainnet.quiknode.pro/<token>/
  [/(\.quiknode\.pro\/)[A-Za-z0-9_-]{16,}/gi, `$1${REDACTED}`],
  // user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi, `$1${REDACTED}@`],
  // Authorization: Bearer <token>
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${REDACTED}`],
];

// A base58 64-byte secret key is 86-88 characters; a public key or a signature is shorter/longer
// enough that this only matches the former in practice. Signatures (87-88) would match too:
// they are not secret, but losing one in a log is the safe side.
const BASE58_SECRET = /\b[1-9A-HJ-NP-Za-km-z]{86,88}\b/g;

export function redactString(text: string): string {
  let out = text;
  if (out.includes('://') || out.includes('Bearer') || out.includes('=')) {
    for (const [re, sub] of URL_SECRETS) out = out.replace(re, sub);
  }
  if (out.length >= 86) out = out.replace(BASE58_SECRET, REDACTED);
  return out;
}

function isKeyBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 64;
  if (Array.isArray(value) && value.length === 64) {
    return value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
  }
  return false;
}

/**
 * A copy of `value` safe to log: secrets replaced, bigints as decimal strings (JSON has no
 * bigint, and a float would lose digits), Errors as plain `{ type, message, stack }`.
 */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return value;
  if (isKeyBytes(value)) return REDACTED;
  if (seen.has(value) || depth > 8) return '[circular or too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const err: Record<string, unknown> = {
      type: value.constructor?.name ?? 'Error',
      message: redactString(value.message),
      stack: value.stack ? redactString(value.stack) : undefined,
    };
    for (const [k, v] of Object.entries(value))
      err[k] = isSecretKey(k) ? REDACTED : scrub(v, depth + 1, seen);
    if (value.cause !== undefined) err.cause = scrub(value.cause, depth + 1, seen);
    return err;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return scrub(Object.fromEntries(value), depth + 1, seen);
  if (value instanceof Set) return scrub([...value], depth + 1, seen);
  const out: Record<string, unknown> = {};
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const v = obj[k];
    if (isSecretKey(k) && v !== null && typeof v !== 'number' && typeof v !== 'boolean') out[k] = REDACTED;
    else
      out[k] =
        typeof v === 'number' || typeof v === 'boolean' || v === undefined ? v : scrub(v, depth + 1, seen);
  }
  return out;
}
