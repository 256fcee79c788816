/**
 * Paper sessions are self-contained: a bot of a new paper session (a new `pnpm start`, same seed, so
 * the same client ids) is not refused by the journal an earlier session left; a bot restarted within
 * its session keeps its journal (crash recovery). The earlier journal is archived, not deleted.
 * Real SQLite journal, real embedded SimVenue, the real startBotOrders.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AppLifecycle, CHILD_ENV, type ShutdownHook } from '@drift/runtime';
import { testFleetConfig } from '@drift/test-support';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startBotOrders } from '../src/index.js';
import { buy, flatEngine, recordingLogger, simVenue, tempDir } from './helpers.js';

const tmp = tempDir();
const saved = { dataDir: process.env.DRIFT_DATA_DIR, session: process.env[CHILD_ENV.paperSession] };
afterAll(() => tmp.cleanup());
afterEach(() => {
  process.env.DRIFT_DATA_DIR = saved.dataDir;
  process.env[CHILD_ENV.paperSession] = saved.session;
});

const config = testFleetConfig({
  risk: {
    maxPositionBase: { 'SOL-PERP': '100' },
    maxGrossNotional: '1000000',
    maxLeverage: '5',
    dailyLossLimit: '1000',
    allowNoRiskManager: true,
  },
});

/** One bot process of a session: places the seeded client id, then stops as at SIGTERM. */
async function runBot(session: string) {
  process.env.DRIFT_DATA_DIR = tmp.dir;
  process.env[CHILD_ENV.paperSession] = session;
  const hooks: ShutdownHook[] = [];
  const app: Parameters<typeof startBotOrders>[0] = {
    supervised: false,
    tradingState: 'active',
    onShutdown: ((label: string | ShutdownHook, fn?: ShutdownHook) => {
      hooks.push(typeof label === 'function' ? label : (fn as ShutdownHook));
    }) as AppLifecycle['onShutdown'],
    onTradingState: () => () => {},
    requireRiskWord: () => {},
    hearRiskWord: () => {},
  };
  const venue = await simVenue(flatEngine(), 1);
  const orders = await startBotOrders(app, { bot: 'paper-bot', venue, config, logger: recordingLogger() });
  const placed = await orders.place({ ...buy('140', '1'), clientOrderId: 'paper-bot-taker-seeded-uuid' });
  for (const hook of hooks.reverse()) await hook('test stop');
  await venue.close();
  return placed;
}

describe('paper sessions', () => {
  it('a new session is not refused by an earlier one; a restart within a session keeps its journal', async () => {
    expect(await runBot('session-a')).toMatchObject({ ok: true });
    // Restarted in the same session: the journal is the same, the id is a duplicate (as it must be).
    expect(await runBot('session-a')).toMatchObject({ ok: false, reason: 'duplicate-client-id' });
    // A new `pnpm start`: same seed, same id, accepted.
    expect(await runBot('session-b')).toMatchObject({ ok: true });
    const files = readdirSync(tmp.dir);
    expect(files).toContain('paper-bot.orders.session-session-a.sqlite');
    expect(existsSync(join(tmp.dir, 'paper-bot.orders.sqlite'))).toBe(true);
  });
});
