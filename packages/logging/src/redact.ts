/**
 * Secrets never reach a log line: the logger scrubs every record itself, so no caller can forget.
 * - values under secret-looking keys (secretKey, privateKey, keypair, mnemonic, seed phrase,
 *   password, pass, pwd, clientSecret, authorization, token, api key...) at any depth;
 * - 64-byte keys as number arrays, Uint8Arrays or Buffers, wherever they sit;
 * - inside any string, messages included: the shapes of TEXT_SECRETS (keys as JSON arrays, hex or
 *   base58; RPC keys in query strings and paths; authorization headers; webhook URLs).
 */
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /(secretkey|privatekey|privkey|keypair|mnemonic|seedphrase|passphrase|password|passwd|^pass$|^pwd$|authorization|secret|token|apikey|accesskey|credentials?|cookie|webhook(url)?)$/;

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

/** Characters that end a credential inside a URL or a text. */
const END = `[^/?#&\\s"'<>\`,;)\\]}]`;

/**
 * The shapes of secrets inside any text (messages, string fields, captured console lines), each
 * with the cheap test that must pass before its pattern runs: most strings pass none.
 * The README's table lists them; each row has a test.
 */
const TEXT_SECRETS: { gate: (text: string) => boolean; re: RegExp; sub: string }[] = [
  // query parameters that carry keys: ?api-key= (Helius), ?apikey=, ?token=, ?access_token=, ...
  {
    gate: (t) => t.includes('='),
    re: /([?&](?:api[-_]?key|x[-_]api[-_]?key|key|token|access[-_]?token|auth|secret|client[-_]?secret|pass(?:word)?|pwd|sig(?:nature)?)=)[^&#\s"'<>]+/gi,
    sub: `$1${REDACTED}`,
  },
  // Alchemy-style /v2/<key> and /v3/<key>
  { gate: (t) => t.includes('/v'), re: /(\/v[23]\/)[A-Za-z0-9_-]{16,}/g, sub: `$1${REDACTED}` },
  // QuickNode https://name.solana-mainnet.quiknode.pro/<token>/
  {
    gate: (t) => t.includes('quiknode'),
    re: /(\.quiknode\.pro\/)[A-Za-z0-9_-]{16,}/gi,
    sub: `$1${REDACTED}`,
  },
  // Syndica https://solana-mainnet.api.syndica.io/api-key/<key>, and any /api-key/<key> path
  { gate: (t) => t.includes('api-key/'), re: new RegExp(`(/api-key/)${END}+`, 'gi'), sub: `$1${REDACTED}` },
  // Ankr https://rpc.ankr.com/solana/<key>
  {
    gate: (t) => t.includes('ankr.com'),
    re: /(\brpc\.ankr\.com\/[a-z0-9_-]+\/)[A-Za-z0-9_-]{16,}/gi,
    sub: `$1${REDACTED}`,
  },
  // Triton https://<name>.rpcpool.com/<key>
  {
    gate: (t) => t.includes('rpcpool.com/'),
    re: new RegExp(`(\\.rpcpool\\.com/)${END}+`, 'gi'),
    sub: `$1${REDACTED}`,
  },
  // Slack, Discord and Telegram webhooks: the path is the secret
  {
    gate: (t) => t.includes('hooks.slack.com'),
    re: /(\bhooks\.slack\.com\/)[^\s"'<>`]+/gi,
    sub: `$1${REDACTED}`,
  },
  {
    gate: (t) => t.includes('webhooks/'),
    re: /(\bdiscord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/)[^\s"'<>`]+/gi,
    sub: `$1${REDACTED}`,
  },
  {
    gate: (t) => t.includes('telegram.org'),
    re: /(\bapi\.telegram\.org\/(?:file\/)?bot)[^/\s"'<>`]+/gi,
    sub: `$1${REDACTED}`,
  },
  // a Telegram bot token on its own: <bot id>:<35 characters>
  { gate: (t) => t.includes(':'), re: /\b\d{6,12}:[A-Za-z0-9_-]{30,}/g, sub: REDACTED },
  // user:password@host
  {
    gate: (t) => t.includes('@'),
    re: /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi,
    sub: `$1${REDACTED}@`,
  },
  // Authorization: <anything> (any case, quoted or not, in a header dump or JSON)
  {
    gate: (t) => /authorization/i.test(t),
    re: /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|digest)\s+)?[^\s"',;}]+/gi,
    sub: `$1$2 ${REDACTED}`,
  },
  // Bearer <token> (any case)
  { gate: (t) => /bearer/i.test(t), re: /(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, sub: `$1${REDACTED}` },
  // Basic <base64 user:password>: mixed case, a digit or base64 punctuation (not "Basic settings")
  {
    gate: (t) => t.includes('Basic'),
    re: /(\bBasic\s+)(?=[A-Za-z0-9+/]*(?:[a-z][A-Z]|[0-9+/=]))[A-Za-z0-9+/]{8,}={0,2}/g,
    sub: `$1${REDACTED}`,
  },
  // key: value / "key":"value" / key=value text of a secret-named field (a formatted object)
  {
    gate: (t) => t.includes(':') || t.includes('='),
    re: /(\b(?:secret[-_]?key|private[-_]?key|api[-_]?key|client[-_]?secret|access[-_]?token|refresh[-_]?token|password|passwd|pass|pwd|mnemonic|seed[-_]?phrase|passphrase)["']?\s*[:=]\s*)(?!\[redacted\])("[^"]*"|'[^']*'|`[^`]*`|[^\s,;}&\]]+)/gi,
    sub: `$1${REDACTED}`,
  },
  // a 64-byte key written as a JSON / console array of numbers: [12,34,...] (64 of them)
  {
    gate: (t) => t.length >= 129 && t.includes('['),
    re: /\[\s*(?:\d{1,3}\s*,\s*){63}\d{1,3}\s*,?\s*\]/g,
    sub: REDACTED,
  },
  // a 64-byte key as 128 hex characters
  { gate: (t) => t.length >= 128, re: /\b(?:0x)?[0-9a-fA-F]{128}\b/g, sub: REDACTED },
  // A base58 64-byte secret key is 86-88 characters; a public key (32-44) is far shorter.
  // Signatures (87-88) match too: they are not secret, but losing one in a log is the safe side.
  { gate: (t) => t.length >= 86, re: /\b[1-9A-HJ-NP-Za-km-z]{86,88}\b/g, sub: REDACTED },
];

/** No shape above fits a short text without one of these. */
const MAY_HOLD_SECRET = /[:=/[@]|bearer|basic/i;

/** `text` with every secret shape of TEXT_SECRETS replaced by `[redacted]`. */
export function redactString(text: string): string {
  if (text.length < 8 || (text.length < 86 && !MAY_HOLD_SECRET.test(text))) return text;
  let out = text;
  for (const { gate, re, sub } of TEXT_SECRETS) if (gate(out)) out = out.replace(re, sub);
  return out;
}

/** A Uint8Array of 64 bytes as pino's JSON would make it: `{ "0": 12, ..., "63": 200 }`. */
function isIndexedBytes(value: object): boolean {
  const o = value as Record<string, unknown>;
  if (!('63' in o) || '64' in o) return false;
  for (let i = 0; i < 64; i++) {
    const v = o[i];
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) return false;
  }
  return Object.keys(o).length === 64;
}

function isKeyBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 64;
  if (Array.isArray(value)) {
    return value.length === 64 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
  }
  return value !== null && typeof value === 'object' && isIndexedBytes(value);
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
