/**
 * The one place BN (the SDK's integers) and bigint (the fleet's) meet. Both directions are exact:
 * BN goes through its decimal string, so no value passes through a float.
 */
import { BN } from '@drift-labs/sdk';

export function toBN(value: bigint): BN {
  return new BN(value.toString());
}

export function fromBN(value: BN): bigint {
  return BigInt(value.toString());
}

/** For SDK fields that are BN on-chain but small (slots, timestamps): refuses what a number cannot hold. */
export function bnToSafeNumber(value: BN, field: string): number {
  const n = fromBN(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${field}: ${n} does not fit a JavaScript number`);
  }
  return Number(n);
}
