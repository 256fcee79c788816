/**
 * run-one's relay (the Kubernetes export): the risk manager's word file becomes the IPC words and
 * trading states a bot hears under the orchestrator; a file that stops changing relays nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParentMessage, writeRiskWord } from '@drift/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { relayRiskWordFile } from '../src/risk-word-relay.js';

const dir = mkdtempSync(join(tmpdir(), 'relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('relayRiskWordFile', () => {
  it('relays each new word once, a halt and a resume as the state changes, nothing from a stale file', async () => {
    const file = join(dir, 'risk-word.json');
    const sent: ParentMessage[] = [];
    const timer = relayRiskWordFile(file, { send: (m) => sent.push(m) > 0 }, 200);
    try {
      writeRiskWord(file, { state: 'active', reason: 'ok', at: 1_000 });
      await expect.poll(() => sent).toEqual([{ type: 'risk-word', ts: 1_000 }]);

      writeRiskWord(file, { state: 'halted', reason: 'daily loss', at: 2_000 });
      await expect.poll(() => sent.length).toBe(3);
      expect(sent.slice(1)).toEqual([
        { type: 'halt', reason: 'daily loss', by: 'risk-manager' },
        { type: 'risk-word', ts: 2_000 },
      ]);

      await new Promise((r) => setTimeout(r, 300)); // the same word read again: nothing new
      expect(sent).toHaveLength(3);

      writeRiskWord(file, { state: 'active', reason: 'reset by alice', at: 3_000 });
      await expect.poll(() => sent.length).toBe(5);
      expect(sent[3]).toEqual({ type: 'resume', reason: 'reset by alice', by: 'risk-manager' });
    } finally {
      clearInterval(timer);
    }
  });
});
