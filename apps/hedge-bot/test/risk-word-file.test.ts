/**
 * Under a supervisor other than the orchestrator (the pm2 and systemd exports), no IPC channel relays
 * the risk manager's word: the bot follows the word file the risk manager rewrites after every
 * evaluation. It trades while the word is fresh, follows the state it carries (a halt), and fails
 * closed, said at ERROR, when the file stops changing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RiskWord, writeRiskWord } from '@drift/runtime';
import { type AppProcess, freePort, startAppProcess } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'risk-word-'));
const wordFile = join(dir, 'risk-word.json');
let bot: AppProcess | undefined;
let speaking: NodeJS.Timeout | undefined;

afterEach(() => {
  clearInterval(speaking);
  bot?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The risk manager's side: a fresh word every 300 ms with the given state. */
function speak(state: RiskWord['state']): void {
  clearInterval(speaking);
  const write = () => writeRiskWord(wordFile, { state, reason: `test says ${state}`, at: Date.now() });
  write();
  speaking = setInterval(write, 300);
}

const waitForLog = (pattern: RegExp, timeout = 20_000) =>
  expect.poll(() => (bot ? safeLog(bot) : ''), { timeout, interval: 100 }).toMatch(pattern);

function safeLog(app: AppProcess): string {
  try {
    return app.log();
  } catch {
    return '';
  }
}

describe('hedge-bot under another supervisor', () => {
  it('follows the word file: trades while it is fresh, halts with it, fails closed on silence', async () => {
    speak('active');
    bot = startAppProcess({
      app: 'hedge-bot',
      cwd: join(import.meta.dirname, '..'),
      ipc: false,
      env: { SIM_PORT: String(await freePort()), DRIFT_RISK_WORD_FILE: wordFile },
    });
    await waitForLog(/following the risk manager through its word file/);
    await waitForLog(/\| INFO \| ready /);
    expect(safeLog(bot)).not.toMatch(/to=reducing|to=halted/);

    speak('halted');
    await waitForLog(/trading state changed from=active to=halted .*by=risk-manager/);

    speak('active');
    await waitForLog(/trading state changed from=halted to=active/);

    clearInterval(speaking); // the risk manager dies: the file stays, its word ages
    const silencedAt = Date.now();
    await waitForLog(/\| ERROR \| the risk manager fell silent/, 20_000);
    expect(Date.now() - silencedAt).toBeGreaterThan(9_000); // risk.failClosed.silenceMs: 10 s
    await waitForLog(/trading state changed from=active to=reducing/);
  }, 60_000);
});
