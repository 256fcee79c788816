/**
 * The real paper fleet (simulator, swift-client, risk-manager and the three bots, each its real
 * `src/main.ts`) when the simulator's oracle feed stalls: every process stays alive and beating, yet
 * each bot sees its data age past `risk.staleOracleMs`, stops adding risk (no order accepted by the
 * simulator beyond the bound), the status API shows it stale, and it trades again once the feed is back.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../src/status.js';
import { isAlive, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import { BOTS, logLines, PKG, paperEnv, writePaperConfig } from './paper-fleet.js';

const BOUND_MS = 3_000;
/** The guard checks once a second at most (a quarter of the bound, capped at 1 s). */
const CHECK_MS = 750;
const BOT_NAMES = Object.keys(BOTS);
const BOT_SUBS = new Set<number>(Object.values(BOTS));

let dir: string;
let orchestrator: ChildProcess | undefined;
let api = '';
let simPort = 0;

const rpc = async <T>(body: object): Promise<T> => {
  const reply = (await (
    await fetch(`http://127.0.0.1:${simPort}/rpc`, { method: 'POST', body: JSON.stringify(body) })
  ).json()) as { ok: boolean; result: T };
  if (!reply.ok) throw new Error(`sim refused ${JSON.stringify(body)}: ${JSON.stringify(reply)}`);
  return reply.result;
};
const status = async () => (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
const bots = (s: FleetStatus) => s.apps.filter((a) => BOT_NAMES.includes(a.name));

beforeAll(async () => {
  dir = tempDir('stale-oracle-');
  const written = await writePaperConfig(dir, (c) => {
    (c as unknown as { risk: { staleOracleMs: number } }).risk.staleOracleMs = BOUND_MS;
  });
  simPort = written.simPort;
  let stderr = '';
  const child = fork(join(PKG, 'src/main.ts'), [], {
    cwd: PKG,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, DRIFT_BOTS_CONFIG: written.file, ...paperEnv(dir) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true,
  });
  orchestrator = child;
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  ({ api } = await new Promise<{ api: string }>((ok, fail) => {
    child.on('message', (m: { type?: string; info?: { api: string } }) => {
      if (m.type === 'ready' && m.info) ok(m.info);
    });
    child.once('exit', (code) => fail(new Error(`orchestrator exited ${code}: ${stderr}`)));
  }));
}, 120_000);

afterAll(async () => {
  if (orchestrator?.pid && isAlive(orchestrator.pid)) {
    orchestrator.kill('SIGTERM');
    await waitFor(() => !isAlive(orchestrator!.pid!), 30_000, 'orchestrator stopped').catch(() =>
      process.kill(-orchestrator!.pid!, 'SIGKILL'),
    );
  }
  removeDir(dir);
}, 60_000);

describe('a stalled oracle feed', () => {
  it('stops every bot adding risk within the bound, shows it stale, and trading resumes after', async () => {
    // Every bot reports fresh data first.
    await waitFor(
      async () => {
        const b = bots(await status());
        return b.length === 3 && b.every((a) => a.status?.dataStale === false);
      },
      60_000,
      'every bot reporting fresh data',
      250,
    );

    await rpc({ type: 'stallOracle' });
    const stalledAt = Date.now();
    // The frozen reading's own stamp: its age starts here.
    const frozen = await rpc<{ ts: number }>({ type: 'oracle', market: 'SOL-PERP' });
    await waitFor(
      async () => bots(await status()).every((a) => a.status?.dataStale === true),
      30_000,
      'every bot reporting stale data',
      100,
    );
    const staleAfterMs = Date.now() - stalledAt;
    const during = bots(await status());
    for (const bot of during) {
      expect(bot.state, bot.name).toBe('running');
      expect(bot.status?.dataAgeMs?.['oracle:SOL-PERP'], bot.name).toBeGreaterThan(BOUND_MS);
    }
    const skippedStale = async () =>
      (await status()).apps.find((a) => a.name === 'jit-mm-swift')?.status?.counters['skipped.stale-data'] ??
      0;
    // The maker keeps seeing takers and skips them for stale data.
    await waitFor(async () => (await skippedStale()) > 0, 30_000, 'a taker skipped for stale data', 250);
    await new Promise((r) => setTimeout(r, 2_000));

    const resumedAt = await rpc<{ ts: number }>({ type: 'clock' });
    await rpc({ type: 'resumeOracle' });
    await waitFor(
      async () => bots(await status()).every((a) => a.status?.dataStale === false),
      30_000,
      'every bot reporting fresh data again',
      100,
    );
    // Trading resumes: the maker decides takers again instead of skipping them for stale data.
    const staleSkips = await skippedStale();
    const seen = async () =>
      (await status()).apps.find((a) => a.name === 'jit-mm-swift')?.status?.counters.takersSeen ?? 0;
    const seenAtResume = await seen();
    await waitFor(async () => (await seen()) > seenAtResume + 2, 60_000, 'takers seen after the stall', 250);
    expect(await skippedStale()).toBe(staleSkips);

    // The simulator's own history: no bot order accepted later than the bound (plus one check)
    // after the frozen reading, until the feed came back.
    const history = await rpc<{ kind: string; ts: number; order?: { subAccount: number } }[]>({
      type: 'history',
    });
    const limit = frozen.ts + BOUND_MS + CHECK_MS;
    const whileStale = history.filter(
      (e) =>
        e.kind === 'order-accepted' &&
        BOT_SUBS.has(e.order?.subAccount ?? -1) &&
        e.ts > limit &&
        e.ts < resumedAt.ts,
    );
    expect(whileStale).toEqual([]);

    // Said once per bot, not once per tick: one ERROR going stale, one WARN back; the bot stopped
    // within the bound and one check (a little slack for a loaded machine).
    const stoppedAfterMs: Record<string, number> = {};
    for (const bot of BOT_NAMES) {
      const lines = logLines(dir, bot);
      const stale = lines.find((l) => l.msg.startsWith('data stale'));
      stoppedAfterMs[bot] = (stale?.time.getTime() ?? Number.NaN) - stalledAt;
      expect(stoppedAfterMs[bot], bot).toBeLessThan(BOUND_MS + CHECK_MS + 1_000);
      expect(
        lines.filter((l) => l.msg.startsWith('data stale')).map((l) => l.level),
        bot,
      ).toEqual(['error']);
      expect(
        lines.filter((l) => l.msg.startsWith('data fresh again')).map((l) => l.level),
        bot,
      ).toEqual(['warn']);
    }
    process.stdout.write(
      `oracle stall: bound ${BOUND_MS} ms; each bot stopped adding risk after ${JSON.stringify(stoppedAfterMs)} ms, ` +
        `all stale in /api/status after ${staleAfterMs} ms (wall = venue time, sim speed 1); ` +
        `bot orders accepted beyond the bound while stale: ${whileStale.length}; maker skipped ${staleSkips} takers for stale data\n`,
    );
  }, 240_000);
});
