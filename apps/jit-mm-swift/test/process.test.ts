/**
 * The bot as the orchestrator runs it: a real child process with an IPC channel, in paper mode on
 * its own embedded simulator (no sim server on the configured port), logs and journal in a temp dir.
 */
import { join } from 'node:path';
import {
  type AppProcess,
  describeBotUnderOrchestrator,
  freePort,
  isHeartbeat,
  isReady,
  startAppProcess,
} from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';

describeBotUnderOrchestrator('jit-mm-swift', join(import.meta.dirname, '..'));

let bot: AppProcess | undefined;
afterEach(() => bot?.dispose());

describe('jit-mm-swift trading under an orchestrator', () => {
  it('fills taker orders, fills nothing while halted, and exits 0 on SIGTERM', async () => {
    bot = startAppProcess({
      app: 'jit-mm-swift',
      cwd: join(import.meta.dirname, '..'),
      env: { SIM_PORT: String(await freePort()), SIM_SPEED: '10', DRIFT_HEARTBEAT_MS: '200' },
    });
    const ready = await bot.next(isReady, 0);
    expect(ready).toMatchObject({ app: 'jit-mm-swift', info: { mode: 'paper', subAccount: 1 } });
    await new Promise((r) => setTimeout(r, 2_000)); // let it trade a little
    const active = await bot.next(isHeartbeat);
    expect(active.status.tradingState).toBe('active');
    expect(active.status.counters.takersSeen).toBeGreaterThan(0);
    expect(active.status.pnlQuote).toMatch(/^-?\d+(\.\d+)?$/);

    bot.child.send({ type: 'halt', reason: 'test: risk halt' });
    await bot.next((m) => isHeartbeat(m) && m.status.tradingState === 'halted');
    await new Promise((r) => setTimeout(r, 600)); // a fill already sent when the halt came may land
    const halted = await bot.next(isHeartbeat);
    await new Promise((r) => setTimeout(r, 1_500));
    const later = await bot.next(isHeartbeat);
    expect(later.status.tradingState).toBe('halted');
    expect(later.status.counters.takersFilled).toBe(halted.status.counters.takersFilled);
    expect(later.status.counters['skipped.halted']).toBeGreaterThan(0);

    expect(await bot.stop()).toBe(0);
    const log = bot.log();
    expect(log).toMatch(/ready/);
    expect(log).toMatch(/taker order: /);
    expect(log).toMatch(/order manager stopped/);
  }, 40_000);
});
