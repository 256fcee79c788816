/**
 * What every bot promises the orchestrator, as a vitest suite a bot's own test file registers:
 * started as the orchestrator starts it (paper mode, its embedded simulator), it reports ready,
 * heartbeats its trading state and PnL, stays up but halted on a risk halt, and exits 0 on SIGTERM
 * after cancelling its orders; it fails closed (reducing, at ERROR) once the risk manager's words stop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AppProcess, isHeartbeat, isReady, startAppProcess } from './app-process.js';
import { freePort } from './free-port.js';

export function describeBotUnderOrchestrator(app: string, cwd: string): void {
  let bot: AppProcess | undefined;
  afterEach(() => bot?.dispose());

  describe(`${app} under an orchestrator`, () => {
    it('reports ready, heartbeats, stays up halted, and exits 0 on SIGTERM after cancelling', async () => {
      bot = startAppProcess({
        app,
        cwd,
        env: { SIM_PORT: String(await freePort()), DRIFT_HEARTBEAT_MS: '200' },
      });
      const ready = await bot.next(isReady, 0);
      expect(ready).toMatchObject({ app, info: { mode: 'paper' } });
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

    it("refuses a second instance on the same journal, naming the first's pid, and leaves the first alone", async () => {
      const env = { SIM_PORT: String(await freePort()), DRIFT_HEARTBEAT_MS: '200' };
      bot = startAppProcess({ app, cwd, env });
      await bot.next(isReady, 0);
      const first = bot;
      const second = startAppProcess({ app, cwd, env: { ...env, DRIFT_DATA_DIR: first.dataDir } });
      try {
        const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
        expect(code).not.toBe(0);
        expect(second.log()).toContain(`held by another instance (pid ${first.child.pid}`);
        expect(second.log()).not.toMatch(/cancel-all/);
      } finally {
        second.dispose();
      }
      // The first trades on: still up, active, and nothing of it was cancelled by the second.
      const beat = await first.next(isHeartbeat);
      expect(beat.status.tradingState).toBe('active');
      expect(first.child.exitCode).toBeNull();
      expect(first.log()).not.toMatch(/cancel-all/);
    }, 60_000);

    it('fails closed when the risk manager falls silent: reducing, said at ERROR', async () => {
      const silenced = startAppProcess({
        app,
        cwd,
        env: { SIM_PORT: String(await freePort()), DRIFT_HEARTBEAT_MS: '200' },
      });
      bot = silenced;
      await silenced.next(isReady, 0);
      expect((await silenced.next(isHeartbeat)).status.tradingState).toBe('active');
      const silencedAt = Date.now();
      silenced.stopRiskWords();
      // drift-bots.yaml: risk.failClosed.silenceMs defaults to 10 s.
      await silenced.next((m) => isHeartbeat(m) && m.status.tradingState === 'reducing');
      const tookMs = Date.now() - silencedAt;
      expect(tookMs).toBeGreaterThan(9_000);
      expect(tookMs).toBeLessThan(13_000);
      // The line is written by the batched file sink: it may land a moment after the heartbeat.
      await expect
        .poll(() => silenced.log(), { timeout: 5_000 })
        .toMatch(/\| ERROR \| the risk manager fell silent/);
    }, 40_000);
  });
}
