/**
 * What an attacker or a careless library can put in a record, in a real process: no text forges a
 * line or moves the cursor, and no common shape of a Solana key or an RPC / webhook credential
 * reaches the file or the console, wherever it sits in the record. One row per shape of the
 * README's table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine } from '../src/index.js';
import { COMPACT_LINE, type RunResult, runFixture, tempDir } from './helpers.js';

/** Every character that must never reach a line raw (LF only as the end of a line / before a stack line). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what the test looks for
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const bytes = (seed: number) => Array.from({ length: 64 }, (_, i) => (i * 73 + seed * 31 + 7) % 256);
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const base58Key = Array.from({ length: 88 }, (_, i) => BASE58[(i * 37 + 11) % 58]).join('');

/** [shape, row for the fixture, the secret text that must not appear]. */
const SHAPES: [string, object, string][] = [
  [
    '64-byte key as JSON array text',
    { kind: 'text', text: `key=${JSON.stringify(bytes(1))}` },
    bytes(1).slice(0, 12).join(','),
  ],
  [
    '64-byte key as numbers (Array.from, Uint8Array)',
    { kind: 'bytes', bytes: bytes(2) },
    bytes(2).slice(0, 12).join(','),
  ],
  ['128-character hex key', { kind: 'text', text: `0x${'9f3a'.repeat(32)}` }, '9f3a'.repeat(8)],
  ['base58 secret key (86-88 characters)', { kind: 'text', text: base58Key }, base58Key.slice(0, 40)],
  [
    'Syndica path key',
    { kind: 'text', text: 'https://solana-mainnet.api.syndica.io/api-key/SyNdIcAkEy0123456789abcdef/' },
    'SyNdIcAkEy0123456789',
  ],
  [
    'Ankr path key',
    { kind: 'text', text: 'https://rpc.ankr.com/solana/a1b2c3d4e5f60718293a4b5c6d7e8f90' },
    'a1b2c3d4e5f60718293a',
  ],
  [
    'Triton <name>.rpcpool.com/<key>',
    { kind: 'text', text: 'https://drift-main.rpcpool.com/7e1c0f2a-tRiToNkEy-55aa' },
    'tRiToNkEy',
  ],
  [
    'Helius ?api-key=',
    { kind: 'text', text: 'https://mainnet.helius-rpc.com/?api-key=hElIuSkEy-1234-5678' },
    'hElIuSkEy',
  ],
  [
    'query ?api_key= / ?token= / ?access_token=',
    {
      kind: 'text',
      text: 'https://rpc.example.com/x?api_key=qUeRyKeY1&token=qUeRyToK2&access_token=qUeRyAcC3',
    },
    'qUeRy',
  ],
  [
    'Alchemy /v2/<key>',
    { kind: 'text', text: 'https://solana-mainnet.g.alchemy.com/v2/AlChEmYkEy0123456789' },
    'AlChEmYkEy',
  ],
  [
    'QuickNode token path',
    { kind: 'text', text: 'https://x.solana-mainnet.quiknode.pro/qUiCkNoDeToKeN0123456789/' },
    'qUiCkNoDeToKeN',
  ],
  ['user:password@host', { kind: 'text', text: 'https://drift:pAsSwOrD99@rpc.example.com/' }, 'pAsSwOrD99'],
  [
    'authorization: bearer (any case)',
    { kind: 'text', text: 'headers: {"authorization":"bearer bEaReRtOkEn.abc123"}' },
    'bEaReRtOkEn',
  ],
  [
    'Authorization: Basic',
    { kind: 'text', text: 'Authorization: Basic dXNlcjpiYXNpY1NlY3JldA==' },
    'dXNlcjpiYXNpY1NlY3JldA',
  ],
  [
    'Bearer token alone',
    { kind: 'text', text: 'using Bearer eyJhbGciOiJIUzI1NiJ9.bEaReR2' },
    'eyJhbGciOiJIUzI1NiJ9',
  ],
  [
    'Slack webhook',
    { kind: 'text', text: 'https://hooks.slack.com/services/T0SLACK01/B0SLACK02/sLaCkSeCrEt0123456789' },
    'sLaCkSeCrEt',
  ],
  [
    'Discord webhook',
    { kind: 'text', text: 'https://discord.com/api/webhooks/123456789012/dIsCoRdToKeN-abc_123' },
    'dIsCoRdToKeN',
  ],
  [
    'Telegram bot URL',
    {
      kind: 'text',
      text: 'https://api.telegram.org/bot123456789:AAtElEgRaMtOkEn0123456789abcdefghi/sendMessage',
    },
    'AAtElEgRaMtOkEn',
  ],
  ['field pass', { kind: 'field', field: 'pass', value: 'pAsSfIeLd1' }, 'pAsSfIeLd1'],
  ['field pwd', { kind: 'field', field: 'pwd', value: 'pWdFiElD22' }, 'pWdFiElD22'],
  ['field clientSecret', { kind: 'field', field: 'clientSecret', value: 'cLiEnTsEcReT3' }, 'cLiEnTsEcReT3'],
  ['field api_key', { kind: 'field', field: 'api_key', value: 'aPiKeYfIeLd4' }, 'aPiKeYfIeLd4'],
  [
    'field password / secretKey / privateKey / mnemonic',
    { kind: 'field', field: 'mnemonic', value: 'abandon mNeMoNiC ability' },
    'mNeMoNiC',
  ],
];

let res: RunResult;
let file: string;

beforeAll(async () => {
  const dir = tempDir();
  res = await runFixture('test/fixtures/hostile.ts', [], {
    LOG_DIR: dir,
    TEST_SECRETS: JSON.stringify(SHAPES.map(([, row]) => row)),
  });
  file = fs.readFileSync(path.join(dir, 'hostile.log'), 'utf8');
}, 60_000);

describe('one record is one line that cannot move the cursor', () => {
  it('the process ran', () => {
    expect(res.code).toBe(0);
  });

  it('no key, binding key, message, value, error or function name forges a line in the file', () => {
    const lines = file.split('\n').filter(Boolean);
    for (const line of lines) if (!line.startsWith('    ')) expect(line).toMatch(COMPACT_LINE);
    const records = lines.map(parseLogLine).filter((r) => r !== undefined);
    expect(records.filter((r) => r.app !== 'hostile')).toEqual([]);
    expect(records.filter((r) => r.msg.startsWith('daily loss limit'))).toEqual([]);
    // 1 forged key + 1 child + 11 characters + 1 error + 1 hostile function + 1 console line, then the secrets
    expect(records.findIndex((r) => r.msg.startsWith('row 0:'))).toBe(16);
  });

  it('no control character, line separator or ANSI escape reaches the file or the console raw', () => {
    for (const [where, text] of [
      ['file', file],
      ['stdout', res.stdout],
      ['stderr', res.stderr],
    ] as const) {
      const raw = text.split('\n').find((l) => RAW_CONTROL.test(l));
      expect({ where, raw }).toEqual({ where, raw: undefined });
    }
    expect(file).toContain('\\u001b[2J');
    expect(file).toContain('\\u2028');
  });

  it('the console lines are one per record too', () => {
    const consoleLines = `${res.stdout}${res.stderr}`.split('\n').filter(Boolean);
    for (const line of consoleLines) if (!line.startsWith('    ')) expect(line).toMatch(COMPACT_LINE);
  });

  it('LOG_FORMAT=json: every console line is one JSON record, nothing raw', async () => {
    const json = await runFixture('test/fixtures/hostile.ts', [], {
      LOG_DIR: tempDir(),
      LOG_FILE_ENABLED: 'false',
      TEST_CONSOLE_FORMAT: 'json',
    });
    const lines = json.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(16);
    for (const line of lines) {
      expect(RAW_CONTROL.test(line)).toBe(false);
      expect(JSON.parse(line).app).toBe('hostile');
    }
  });
});

describe('secrets in every common shape are redacted wherever they sit', () => {
  it.each(SHAPES.map(([shape, , secret], row) => [shape, secret, row] as const))(
    '%s',
    (_shape, secret, row) => {
      const squeeze = (t: string) => t.replace(/\s+/g, '');
      for (const [where, text] of [
        ['file', file],
        ['console', `${res.stdout}${res.stderr}`],
      ] as const) {
        expect({ where, leaked: squeeze(text).includes(squeeze(secret)) }).toEqual({ where, leaked: false });
        const ofRow = text
          .split('\n')
          .filter((l) => l.includes(`row ${row}:`) || l.includes(`row=${row} `) || l.endsWith(`row=${row}`));
        expect(ofRow.length).toBeGreaterThanOrEqual(5);
        for (const line of ofRow) expect(line).toContain('[redacted]');
      }
    },
  );
});
