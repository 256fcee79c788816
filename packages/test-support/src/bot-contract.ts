/**
 * What every bot promises the orchestrator (bot-runtime's `runBot` keeps it), as a vitest suite a
 * bot's own test file registers: started as the orchestrator starts it (paper mode, its embedded
 * simulator), it reports ready with its mode, sub-account and markets, heartbeats one status shape
 * (trading state, PnL, order-management's counts and counters, the data's age), stays up but halted
 * on a risk halt, and exits 0 on SIGTERM after cancelling its orders; one instance per journal; it
 * fails closed (reducing, at ERROR) once the risk manager's words stop; a bad parameter stops it at
 * start, named, before anything trades.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      expect(ready).toMatchObject({
        app,
        info: { mode: 'paper', subAccount: expect.any(Number), markets: expect.any(Array) },
      });
      const beat = await bot.next(isHeartbeat);
      expect(beat.status.tradingState).toBe('active');
      expect(beat.status.pnlQuote).toMatch(/^-?\d+(\.\d+)?$/);
      // One shape for every bot: order-management's counts and counters, the data's age.
      expect(beat.status).toMatchObject({
        openOrders: expect.any(Number),
        fills: expect.any(Number),
        ordersPlaced: expect.any(Number),
        dataStale: false,
        dataAgeMs: expect.any(Object),
      });
      expect(beat.status.counters).toMatchObject({
        ordersLost: expect.any(Number),
        ordersFilled: expect.any(Number),
      });

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

    it('stops at start on an unknown parameter, naming it, before it reports ready or trades', async () => {
      const dir = mkdtempSync(join(tmpdir(), `${app}-bad-params-`));
      try {
        const config = join(dir, 'drift-bots.yaml');
        writeFileSync(config, JSON.stringify(badParamsConfig(app)));
        bot = startAppProcess({ app, cwd, env: { DRIFT_BOTS_CONFIG: config } });
        const code = await new Promise<number | null>((r) => bot?.child.once('exit', (c) => r(c)));
        expect(code).toBe(2); // a configuration error
        expect(bot.messages.some(isReady)).toBe(false);
        const log = bot.log();
        expect(log).toMatch(new RegExp(`\\| ERROR \\| ${app} failed to start`));
        expect(log).toContain(`apps.${app}.params`);
        expect(log).toContain('notAParam');
        expect(log).not.toMatch(/cancel-all/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 40_000);
  });
}

/** A valid paper fleet (JSON is YAML) in which only the bot's params are wrong: a key no bot has. */
function badParamsConfig(app: string) {
  return {
    mode: 'paper',
    markets: ['SOL-PERP', 'BTC-PERP'],
    sim: {
      markets: { 'SOL-PERP': { startPrice: '150' }, 'BTC-PERP': { startPrice: '65000' } },
      subAccounts: { '5': { collateral: '1000' } },
    },
    risk: {
      maxPositionBase: { 'SOL-PERP': '10', 'BTC-PERP': '1' },
      maxGrossNotional: '1000',
      maxLeverage: '5',
      dailyLossLimit: '100',
    },
    apps: { [app]: { kind: 'bot', subAccount: 5, params: { notAParam: 1 } } },
  };
}
