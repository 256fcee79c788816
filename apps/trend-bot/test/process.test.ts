/**
 * The bot as the orchestrator runs it: a real child process with an IPC channel, in paper mode on
 * its own embedded simulator (no sim server on the configured port), logs and journal in a temp dir.
 */
import { join } from 'node:path';
import { type AppProcess, freePort, isHeartbeat, isReady, startAppProcess } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const APP = 'trend-bot';
let bot: AppProcess | undefined;
afterEach(() => bot?.dispose());

describe(`${APP} under an orchestrator`, () => {
  it('reports ready, heartbeats, stays up halted, and exits 0 on SIGTERM after cancelling', async () => {
    bot = startAppProcess({
      app: APP,
      cwd: join(import.meta.dirname, '..'),
      env: { SIM_PORT: String(await freePort()), DRIFT_HEARTBEAT_MS: '200' },
    });
    const ready = await bot.next(isReady, 0);
    expect(ready).toMatchObject({ app: APP, info: { mode: 'paper' } });
    const beat = await bot.next(isHeartbeat);
    expect(beat.status.tradingState).toBe('active');
    expect(beat.status.pnlQuote).toMatch(/^-?\d+(\.\d+)?$/);

    bot.child.send({ type: 'halt', reason: 'test: risk halt' });
    await bot.next((m) => isHeartbeat(m) && m.status.tradingState === 'halted');
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.child.exitCode).toBeNull(); // a halted bot stays up
    const later = await bot.next(isHeartbeat);
    expect(later.status.tradingState).toBe('halted');

    expect(await bot.stop()).toBe(0);
    const log = bot.log();
    expect(log).toMatch(/ready/);
    expect(log).toMatch(/cancel-all done/);
    expect(log).toMatch(/exitCode["=:]+0/);
  }, 40_000);
});
