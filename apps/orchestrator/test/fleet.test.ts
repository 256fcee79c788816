import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, flushLogsSync, parseLogLine } from '@drift/logging';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fleet } from '../src/fleet.js';
import { fleetStatus } from '../src/status.js';
import { fixtureFleet, isAlive, readRecord, removeDir, tempDir, waitFor } from './fleet-fixture.js';

let fleet: Fleet | undefined;
let dir: string;

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  removeDir(dir);
});

function setup(...args: Parameters<typeof fixtureFleet>) {
  fleet = fixtureFleet(...args);
  return fleet;
}

describe('fleet supervision', () => {
  it('starts sim, infrastructure, risk, bots in order, each ready before the next', async () => {
    dir = tempDir();
    const record = join(dir, 'record.jsonl');
    const f = setup(
      {
        'trend-bot': { kind: 'bot', subAccount: 3 },
        'rpc-manager': { kind: 'infrastructure', fixture: 'ready-delay=150' },
        'risk-manager': { kind: 'risk' },
        'hedge-bot': { kind: 'bot', subAccount: 2 },
      },
      { record, sim: 'ready-delay=100' },
    );
    await f.start();
    expect(f.status().map((s) => [s.name, s.state])).toEqual([
      ['sim', 'running'],
      ['rpc-manager', 'running'],
      ['risk-manager', 'running'],
      ['trend-bot', 'running'],
      ['hedge-bot', 'running'],
    ]);
    const events = readRecord(record).filter((e) => e.event === 'start' || e.event === 'ready');
    // Each app starts only after the previous one reported ready.
    expect(events.map((e) => `${e.app}:${e.event}`)).toEqual([
      'sim:start',
      'sim:ready',
      'rpc-manager:start',
      'rpc-manager:ready',
      'risk-manager:start',
      'risk-manager:ready',
      'trend-bot:start',
      'trend-bot:ready',
      'hedge-bot:start',
      'hedge-bot:ready',
    ]);
    // Every app runs with the fleet's short-GC-pause V8 setting.
    for (const start of readRecord(record).filter((e) => e.event === 'start')) {
      expect(start.execArgv, String(start.app)).toContain('--max-semi-space-size=2');
    }
  });

  it('restarts a SIGKILLed child with backoff', async () => {
    dir = tempDir();
    const f = setup({ 'hedge-bot': { kind: 'bot', subAccount: 2 } }, { record: join(dir, 'r.jsonl') });
    await f.start();
    const bot = f.app('hedge-bot');
    const firstPid = bot.pid!;
    const killedAt = Date.now();
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => bot.state === 'backoff', 5000, 'backoff');
    expect(bot.snapshot().restartAt! - killedAt).toBeGreaterThanOrEqual(90);
    await waitFor(() => bot.state === 'running' && bot.pid !== firstPid, 10_000, 'restart');
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(100);
    expect(bot.snapshot()).toMatchObject({ restarts: 1, lastExit: { signal: 'SIGKILL' } });
    expect(isAlive(firstPid)).toBe(false);
  });

  it('stops restarting a crash-looping app and says so in its status', async () => {
    dir = tempDir();
    const f = setup(
      { 'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'crash-on-start' } },
      {
        record: join(dir, 'r.jsonl'),
        orchestrator: {
          restart: {
            baseMs: 20,
            factor: 1,
            capMs: 20,
            stableAfterMs: 60_000,
            maxRestarts: 2,
            windowMs: 60_000,
            minUptimeMs: 20_000,
          },
        },
      },
    );
    await f.start(); // a bot that cannot start does not stop the fleet
    const bot = f.app('hedge-bot');
    expect(bot.state).toBe('crash-looping');
    const starts = readRecord(join(dir, 'r.jsonl')).filter(
      (e) => e.app === 'hedge-bot' && e.event === 'start',
    );
    expect(starts).toHaveLength(3); // first start + maxRestarts restarts
    await new Promise((r) => setTimeout(r, 300));
    expect(
      readRecord(join(dir, 'r.jsonl')).filter((e) => e.app === 'hedge-bot' && e.event === 'start'),
    ).toHaveLength(3);
    expect(bot.snapshot()).toMatchObject({ state: 'crash-looping', restarts: 2, failedStarts: 3, pid: null });
  });

  it('fails the fleet start with a clear error when infrastructure cannot start, and leaves nothing running', async () => {
    dir = tempDir();
    const f = setup(
      {
        'rpc-manager': { kind: 'infrastructure', fixture: 'crash-on-start' },
        'hedge-bot': { kind: 'bot', subAccount: 2 },
      },
      {
        record: join(dir, 'r.jsonl'),
        orchestrator: {
          restart: {
            baseMs: 20,
            factor: 1,
            capMs: 20,
            stableAfterMs: 60_000,
            maxRestarts: 1,
            windowMs: 60_000,
            minUptimeMs: 500,
          },
        },
      },
    );
    await expect(f.start()).rejects.toThrow(/rpc-manager \(infrastructure\) did not start/);
    expect(f.status().map((s) => s.state)).toEqual(['stopped', 'crash-looping', 'stopped']);
    expect(readRecord(join(dir, 'r.jsonl')).some((e) => e.app === 'hedge-bot')).toBe(false);
  });

  it('restarts a child whose heartbeats stop', async () => {
    dir = tempDir();
    const f = setup(
      { 'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'hang-after=200', stopTimeoutMs: 300 } },
      { record: join(dir, 'r.jsonl') },
    );
    await f.start();
    const bot = f.app('hedge-bot');
    const firstPid = bot.pid!;
    await waitFor(
      () => bot.state === 'running' && bot.pid !== firstPid,
      10_000,
      'restart after heartbeat loss',
    );
    const first = readRecord(join(dir, 'r.jsonl')).filter((e) => e.pid === firstPid);
    expect(first.map((e) => e.event)).toEqual(['start', 'ready']); // hung: never got to stop, SIGKILLed
    expect(bot.snapshot().lastExit?.signal).toBe('SIGKILL');
    expect(bot.snapshot().restarts).toBe(1);
  });

  it('stops bots first, then risk, infrastructure, simulator; SIGKILLs an app that ignores SIGTERM after its timeout', async () => {
    dir = tempDir();
    const record = join(dir, 'r.jsonl');
    const f = setup(
      {
        'rpc-manager': { kind: 'infrastructure', fixture: 'stop-delay=50' },
        'risk-manager': { kind: 'risk', fixture: 'stop-delay=50' },
        'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'hang-on-stop', stopTimeoutMs: 400 },
        'trend-bot': { kind: 'bot', subAccount: 3, fixture: 'stop-delay=50' },
      },
      { record, sim: 'stop-delay=50' },
    );
    await f.start();
    const hedgePid = f.app('hedge-bot').pid!;
    const started = Date.now();
    await f.stop();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(isAlive(hedgePid)).toBe(false);
    const events = readRecord(record);
    const signalled = events.filter((e) => e.event === 'signal').map((e) => e.app);
    expect(signalled.slice(0, 2).sort()).toEqual(['hedge-bot', 'trend-bot']);
    expect(signalled.slice(2)).toEqual(['risk-manager', 'rpc-manager', 'sim']);
    // risk is asked to stop only after every bot is gone (hedge-bot via SIGKILL).
    const riskSignal = events.find((e) => e.app === 'risk-manager' && e.event === 'signal')!;
    expect(riskSignal.t - started).toBeGreaterThanOrEqual(400);
    expect(events.some((e) => e.app === 'hedge-bot' && e.event === 'exit')).toBe(false);
    expect(f.status().every((s) => s.state === 'stopped' && s.pid === null)).toBe(true);
  });

  it('relays the risk halt to every bot within 1 s, holds crashed bots down while halted, resumes on reset', async () => {
    dir = tempDir();
    const record = join(dir, 'r.jsonl');
    const f = setup(
      {
        'risk-manager': { kind: 'risk', fixture: 'risk' },
        'hedge-bot': { kind: 'bot', subAccount: 2 },
        'trend-bot': { kind: 'bot', subAccount: 3 },
        'jit-mm-swift': { kind: 'bot', subAccount: 1 },
      },
      { record },
    );
    await f.start();
    process.kill(f.app('risk-manager').pid!, 'SIGUSR1');
    const bots = ['hedge-bot', 'trend-bot', 'jit-mm-swift'];
    const halts = await waitFor(
      () => {
        const got = readRecord(record).filter(
          (e) => e.event === 'trading-state' && e.state === 'halted' && e.app !== 'risk-manager',
        );
        return new Set(got.map((e) => e.app)).size === bots.length && got;
      },
      5000,
      'halt on every bot',
    );
    const sent = readRecord(record).find((e) => e.event === 'sent-halt')!;
    for (const bot of bots) expect(halts.find((h) => h.app === bot)!.t - sent.t).toBeLessThan(1000);
    // The bots learn who halted them: the risk manager (its report names nobody else).
    expect(new Set(halts.map((h) => h.by))).toEqual(new Set(['risk-manager']));
    expect(f.riskVerdict).toMatchObject({ state: 'halted', by: 'risk-manager' });
    await waitFor(
      () => f.app('trend-bot').snapshot().status?.tradingState === 'halted',
      5000,
      'halted heartbeat',
    );

    // A bot that dies while halted is not restarted...
    process.kill(f.app('trend-bot').pid!, 'SIGKILL');
    await waitFor(() => f.app('trend-bot').state === 'held', 5000, 'held');
    await new Promise((r) => setTimeout(r, 300));
    expect(f.app('trend-bot').state).toBe('held');

    // ...until the operator resets the halt: risk answers active, bots resume, the held one starts again.
    f.resetRisk('test-operator');
    await waitFor(() => f.app('trend-bot').state === 'running', 10_000, 'held bot restarted');
    const resumes = await waitFor(
      () => {
        const got = readRecord(record).filter((e) => e.event === 'trading-state' && e.state === 'active');
        return got.length === 3 && got;
      },
      5000,
      'resume on every running app',
    );
    expect(resumes.find((e) => e.app === 'risk-manager')?.reason).toBe(
      'orchestrator: operator reset by test-operator',
    );
    expect(resumes.map((e) => e.app).sort()).toEqual(['hedge-bot', 'jit-mm-swift', 'risk-manager']);
    // Who reset it travels end to end: to the risk manager, back in its report, on to every bot.
    expect(resumes.map((e) => e.by)).toEqual(['test-operator', 'test-operator', 'test-operator']);
    expect(f.riskVerdict).toMatchObject({ state: 'active', by: 'test-operator' });
  });

  it('does not restart a bot whose backoff ends while the fleet is halted', async () => {
    dir = tempDir();
    const record = join(dir, 'r.jsonl');
    const f = setup(
      { 'risk-manager': { kind: 'risk', fixture: 'risk' }, 'hedge-bot': { kind: 'bot', subAccount: 2 } },
      {
        record,
        orchestrator: {
          restart: {
            baseMs: 1500,
            factor: 2,
            capMs: 5000,
            stableAfterMs: 60_000,
            maxRestarts: 5,
            windowMs: 60_000,
            minUptimeMs: 100,
          },
        },
      },
    );
    await f.start();
    const bot = f.app('hedge-bot');
    process.kill(bot.pid!, 'SIGKILL');
    await waitFor(() => bot.state === 'backoff', 5000, 'backoff');
    process.kill(f.app('risk-manager').pid!, 'SIGUSR1');
    await waitFor(() => f.riskVerdict.state === 'halted', 5000, 'halted');
    await waitFor(() => bot.state === 'held', 5000, 'held after the backoff');
    expect(readRecord(record).filter((e) => e.app === 'hedge-bot' && e.event === 'start')).toHaveLength(1);
    f.resetRisk('test-operator');
    await waitFor(() => bot.state === 'running', 10_000, 'running after reset');
    expect(bot.snapshot().restarts).toBe(1);
  });
});

// Fail closed: bots trade only while the risk manager speaks; its silence or crash loop takes every bot
// to the configured state within the bound, and the status says why.
const SILENCE_MS = 1_000;
const failClosedOf = (record: string, app: string, since: number) =>
  readRecord(record).find(
    (e) => e.app === app && e.event === 'trading-state' && e.by === 'fail-closed' && e.t >= since,
  );

describe('fail closed on the risk manager', () => {
  it('takes every bot to reducing when the risk manager falls silent, and the status says why', async () => {
    dir = tempDir();
    const record = join(dir, 'r.jsonl');
    const f = setup(
      { 'risk-manager': { kind: 'risk' }, 'hedge-bot': { kind: 'bot', subAccount: 2 } },
      { record, risk: { failClosed: { silenceMs: SILENCE_MS, state: 'reducing' } } },
    );
    await f.start();
    await waitFor(() => f.riskVerdict.state === 'active', 5_000, 'a first word');
    expect(fleetStatus(f).risk.wordAgeMs).toBeLessThan(SILENCE_MS);

    const silencedAt = Date.now();
    process.kill(f.app('risk-manager').pid as number, 'SIGHUP'); // alive, but no more words
    const change = await waitFor(() => failClosedOf(record, 'hedge-bot', silencedAt), 5_000, 'bot told');
    expect(change.state).toBe('reducing');
    // Within the bound (plus the watch's tick and IPC), not whenever.
    expect(change.t - silencedAt).toBeLessThan(SILENCE_MS + 1_500);
    const status = fleetStatus(f);
    expect(status.risk).toMatchObject({ state: 'reducing', failClosed: true, by: 'fail-closed' });
    expect(status.risk.reason).toMatch(/no word from the risk manager for \d+ ms/);
    expect(status.risk.wordAgeMs).toBeGreaterThan(SILENCE_MS);
  });

  it('fails closed at once when the risk manager crash-loops, and the status shows it', async () => {
    dir = tempDir();
    const record = join(dir, 'r.jsonl');
    const f = setup(
      { 'risk-manager': { kind: 'risk' }, 'trend-bot': { kind: 'bot', subAccount: 3 } },
      {
        record,
        risk: { failClosed: { silenceMs: 10_000, state: 'halted' } },
        orchestrator: {
          restart: { baseMs: 50, capMs: 100, maxRestarts: 0, windowMs: 60_000, minUptimeMs: 500 },
        },
      },
    );
    await f.start();
    await waitFor(() => f.riskVerdict.state === 'active', 5_000, 'a first word');
    const crashedAt = Date.now();
    process.kill(f.app('risk-manager').pid as number, 'SIGUSR2'); // exits 1: no restarts left
    const change = await waitFor(() => failClosedOf(record, 'trend-bot', crashedAt), 5_000, 'bot told');
    expect(change.state).toBe('halted');
    // Long before the 10 s silence bound: the exit itself is the news.
    expect(change.t - crashedAt).toBeLessThan(2_000);
    expect(f.app('risk-manager').state).toBe('crash-looping');
    expect(fleetStatus(f).risk).toMatchObject({
      state: 'halted',
      failClosed: true,
      reason: 'risk manager crash-looping',
    });
  });
});

describe('session summary', () => {
  it("logs one line per bot at shutdown with its figures, the bot's last ones included", async () => {
    dir = tempDir();
    const logger = createLogger({
      appName: 'orchestrator-summary',
      critical: true,
      logDir: dir,
      fileFormat: 'json',
      enableConsoleLogging: false,
    });
    const f = setup(
      {
        'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'trades,pnl=42.5' },
        'trend-bot': { kind: 'bot', subAccount: 3, fixture: 'pnl=-3' },
      },
      { record: join(dir, 'r.jsonl'), logger },
    );
    await f.start();
    await waitFor(() => f.app('hedge-bot').snapshot().status?.feesPaidQuote, 5000, 'a heartbeat');
    await f.stop();
    fleet = undefined; // stopped: its summary is read below, not written again
    flushLogsSync();

    const lines = readFileSync(join(dir, 'orchestrator-summary.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => parseLogLine(l));
    const summaries = lines.filter((l) => l?.msg.startsWith('session summary'));
    // Fees paid 1.05, not the 0.525 of the running heartbeats: the bot's shutdown paid one more fee,
    // and its final heartbeat, sent after its shutdown steps, carried it.
    expect(summaries.map((l) => l?.msg)).toEqual([
      'session summary hedge-bot: fill rate 25.0%, lost 3 (auction-ended 2, invalid-price 1), fees paid 1.05, rebates 0.0375, net PnL 42.5',
      'session summary trend-bot: fill rate 0.0%, lost -, fees paid -, rebates -, net PnL -3',
    ]);
    expect(summaries[0]).toMatchObject({
      level: 'info',
      fields: expect.objectContaining({
        bot: 'hedge-bot',
        subAccount: 2,
        fillRate: 0.25,
        attemptsLost: 3,
        lostBy: { 'auction-ended': 2, 'invalid-price': 1 },
        feesPaidQuote: '1.05',
        feesReceivedQuote: '0.0375',
        netPnlQuote: '42.5',
      }),
    });
    // After the fleet stopped: every bot had stopped and sent its last figures.
    const stopped = lines.findIndex((l) => l?.msg === 'fleet stopped');
    expect(stopped).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(summaries[0]!)).toBeGreaterThan(stopped);
  });
});
