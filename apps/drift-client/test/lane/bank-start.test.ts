/**
 * A bank start survives garbage collections while the native side is still copying its accounts
 * (the Drift program's bytes). When nothing held those arguments, a collection in that window
 * killed the test worker with a SIGSEGV: with the collections forced here, in one run of this file
 * in three (the race is with the native thread, so it is not certain); in lane runs, rarely.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BankrunChain, DRIFT_ID } from './bankrun-chain.js';
import { LANE } from './programs.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const skip = LANE.ok ? false : LANE.reason;
describe.skipIf(skip)(`real Drift program: bank start${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  it('a garbage collection while banks start leaves the worker alive and the program intact', async () => {
    if (!LANE.ok) return;
    const program = readFileSync(LANE.programs.drift);
    for (let i = 0; i < 3; i++) {
      const starting = BankrunChain.start(LANE.programs);
      collectGarbage(); // frees what is unreferenced; napi finalizers run on the next turn
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      const chain = await starting;
      try {
        const account = await chain.account(DRIFT_ID);
        expect(account && Buffer.from(account.data).equals(program)).toBe(true);
      } finally {
        await chain.stop();
      }
    }
  }, 120_000);
});
