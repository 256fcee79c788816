/**
 * Loads the trading keypair from a Solana CLI key file (a JSON array of 64 bytes) or a file holding
 * the base58 secret key. Errors name the path and what is wrong, never any of the file's content.
 */
import { readFileSync } from 'node:fs';
import { DriftError } from '@drift/logging';
import { decodeBase58 } from '@drift/sim';
import { Keypair } from '@solana/web3.js';

export class KeypairFileError extends DriftError {
  override readonly code = 'DRIFT_ERR_KEYPAIR_FILE';
  override readonly name = 'KeypairFileError';
}

export function loadKeypairFile(path: string): Keypair {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KeypairFileError(`wallet.keypairPath: cannot read ${path} (${code})`);
  }
  const bytes = text.startsWith('[') ? fromJsonArray(text, path) : fromBase58(text, path);
  if (bytes.length !== 64) {
    throw new KeypairFileError(`wallet.keypairPath: ${path} holds ${bytes.length} bytes, a secret key is 64`);
  }
  try {
    return Keypair.fromSecretKey(bytes);
  } catch {
    throw new KeypairFileError(`wallet.keypairPath: ${path} is not a valid ed25519 secret key`);
  }
}

function fromJsonArray(text: string, path: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeypairFileError(`wallet.keypairPath: ${path} is not a JSON array of bytes`);
  }
  if (!Array.isArray(parsed) || !parsed.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new KeypairFileError(`wallet.keypairPath: ${path} is not a JSON array of bytes (0..255)`);
  }
  return Uint8Array.from(parsed as number[]);
}

function fromBase58(text: string, path: string): Uint8Array {
  try {
    return decodeBase58(text);
  } catch {
    throw new KeypairFileError(`wallet.keypairPath: ${path} is neither a JSON byte array nor base58`);
  }
}
