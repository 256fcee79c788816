import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '@drift/logging';
import { encodeBase58 } from '@drift/sim';
import { Keypair } from '@solana/web3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKeypairFile } from './keypair.js';

const dir = mkdtempSync(join(tmpdir(), 'drift-client-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('loadKeypairFile', () => {
  const key = Keypair.generate();

  it('reads a Solana CLI JSON array file', () => {
    const path = write('id.json', JSON.stringify([...key.secretKey]));
    expect(loadKeypairFile(path).publicKey.toBase58()).toBe(key.publicKey.toBase58());
  });

  it('reads a base58 secret key file (with a trailing newline)', () => {
    const path = write('id.b58', `${encodeBase58(key.secretKey)}\n`);
    expect(loadKeypairFile(path).publicKey.toBase58()).toBe(key.publicKey.toBase58());
  });

  it('names the path and the problem, never the content', () => {
    const secretText = encodeBase58(key.secretKey.subarray(0, 40));
    const path = write('short.b58', secretText);
    let message = '';
    try {
      loadKeypairFile(path);
    } catch (err) {
      message = errorMessage(err);
    }
    expect(message).toMatch(/wallet\.keypairPath: .*short\.b58 holds 40 bytes/);
    expect(message).not.toContain(secretText);
    expect(() => loadKeypairFile(join(dir, 'missing.json'))).toThrow(
      /cannot read .*missing\.json \(ENOENT\)/,
    );
    expect(() => loadKeypairFile(write('bad.json', '[1,2,'))).toThrow(/not a JSON array of bytes/);
  });
});
