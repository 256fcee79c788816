import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildMessage } from '../src/ipc.js';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const APP = join(import.meta.dirname, 'fixtures/lifecycle-app.ts');
const ORPHANING_PARENT = join(import.meta.dirname, 'fixtures/orphaning-parent.ts');
const EXEC_ARGV = ['--conditions=source', '--import', 'tsx'];

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function marksFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'drift-lifecycle-')), 'marks.txt');
}
const readMarks = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Runs the fixture without IPC, as `pnpm start` of one bot would. */
function spawnApp(marks: string, env: Record<string, string> = {}) {
  let stderr = '';
  const child = spawn(process.execPath, [...EXEC_ARGV, APP], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, FIXTURE_MARKS: marks, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  children.push(child);
  return { child, stderr: () => stderr };
}

/** Runs the fixture under an IPC channel, as the orchestrator does. */
function forkApp(marks: string, env: Record<string, string> = {}) {
  const messages: ChildMessage[] = [];
  const child = fork(APP, [], {
    cwd: PACKAGE_DIR,
    execArgv: EXEC_ARGV,
    env: { ...process.env, FIXTURE_MARKS: marks, DRIFT_HEARTBEAT_MS: '50', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.on('message', (m) => messages.push(m as ChildMessage));
  children.push(child);
  return { child, messages, stderr: () => stderr };
}

describe('startApp shutdown', () => {
  it('SIGTERM runs the steps last-in first-out, flushes logs, exits 0', async () => {
    const marks = marksFile();
    const { child } = spawnApp(marks);
    await waitFor('start', () => (readMarks(marks).includes('started supervised=false') ? true : undefined));
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(readMarks(marks)).toEqual([
      'started supervised=false',
      'stop quoting (SIGTERM) stopping=true',
      'cancel orders',
      'close venue',
      'flushed',
    ]);
  });

  it('with the real @drift/logging, console lines and the lines logged during shutdown are in the file at exit', async () => {
    const marks = marksFile();
    const logDir = join(marks, '..', 'logs');
    const { child } = spawnApp(marks, { FIXTURE_LOG_DIR: logDir });
    await waitFor('start', () => (readMarks(marks).length > 0 ? true : undefined));
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const lines = readFileSync(join(logDir, 'fixture-app.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; step?: string; source?: string });
    // A library's console.log, captured by startApp into the app's file.
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'a library line: resubscribing', source: 'console' }),
    );
    expect(lines.map((l) => l.step ?? l.msg).slice(-6)).toEqual([
      'ready',
      'shutting down',
      'stopQuoting',
      'cancel orders',
      'close venue',
      'stopped',
    ]);
  });

  it('SIGINT does the same', async () => {
    const marks = marksFile();
    const { child } = spawnApp(marks);
    await waitFor('start', () => (readMarks(marks).length > 0 ? true : undefined));
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    expect(readMarks(marks).slice(1, 2)).toEqual(['stop quoting (SIGINT) stopping=true']);
  });

  it('exits anyway at the deadline, with code 1, naming the steps that did not finish', async () => {
    const marks = marksFile();
    const { child, stderr } = spawnApp(marks, { FIXTURE_HANG: '1', DRIFT_SHUTDOWN_DEADLINE_MS: '300' });
    await waitFor('start', () => (readMarks(marks).length > 0 ? true : undefined));
    const t0 = Date.now();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(readMarks(marks)).not.toContain('cancel orders');
    const fatal = stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.level === 'fatal');
    expect(fatal).toMatchObject({
      running: 'stopQuoting',
      unfinished: ['cancel orders', 'close venue'],
      msg: 'shutdown deadline passed: exiting with steps unfinished',
    });
  });

  it('an unhandled error still runs the steps (orders cancelled), then exits 1', async () => {
    const marks = marksFile();
    const { child, stderr } = spawnApp(marks, { FIXTURE_CRASH: '1' });
    expect(await exited(child)).toBe(1);
    expect(readMarks(marks)).toEqual([
      'started supervised=false',
      'stop quoting (unhandled rejection) stopping=true',
      'cancel orders',
      'close venue',
      'flushed',
    ]);
    expect(stderr()).toContain('strategy bug');
  });
});

describe('startApp under an orchestrator (IPC)', () => {
  it('reports ready and heartbeats carrying the app status', async () => {
    const { messages } = forkApp(marksFile());
    const ready = await waitFor('ready', () => messages.find((m) => m.type === 'ready'));
    expect(ready).toMatchObject({ type: 'ready', app: 'fixture-app', info: { markets: ['SOL-PERP'] } });
    const beat = await waitFor('a heartbeat after ready', () =>
      messages.slice(messages.indexOf(ready)).find((m) => m.type === 'heartbeat'),
    );
    expect(beat).toMatchObject({
      app: 'fixture-app',
      status: { tradingState: 'active', openOrders: 2, fills: 5, pnlQuote: '12.5', counters: { quotes: 9 } },
    });
  });

  it('halt and resume change the trading state; a malformed message is ignored with a warning', async () => {
    const marks = marksFile();
    const { child, messages, stderr } = forkApp(marks);
    await waitFor('ready', () => messages.find((m) => m.type === 'ready'));
    child.send({ type: 'trading-state', state: 'paused', reason: 'x' });
    child.send({ type: 'halt', reason: 'daily loss limit' });
    const halted = await waitFor('halted heartbeat', () =>
      messages.find((m) => m.type === 'heartbeat' && m.status.tradingState === 'halted'),
    );
    expect(halted.type).toBe('heartbeat');
    child.send({ type: 'resume', reason: 'operator reset', by: 'alice' });
    await waitFor('resumed', () =>
      readMarks(marks).some((l) => l.startsWith('state active')) ? true : undefined,
    );
    expect(readMarks(marks).filter((l) => l.startsWith('state'))).toEqual([
      'state halted: orchestrator: daily loss limit',
      'state active: orchestrator: operator reset (by alice)',
    ]);
    expect(stderr()).toContain('malformed trading-state: state: \\"paused\\" is not active|reducing|halted');
  });

  it('a stop message shuts down like SIGTERM', async () => {
    const marks = marksFile();
    const { child, messages } = forkApp(marks);
    await waitFor('ready', () => messages.find((m) => m.type === 'ready'));
    child.send({ type: 'stop', reason: 'operator' });
    expect(await exited(child)).toBe(0);
    expect(readMarks(marks)).toContain('stop quoting (orchestrator: operator) stopping=true');
    expect(readMarks(marks).at(-1)).toBe('flushed');
  });

  it('stops cleanly when the orchestrator is SIGKILLed (IPC channel lost)', async () => {
    const marks = marksFile();
    const parent = spawn(process.execPath, [...EXEC_ARGV, ORPHANING_PARENT], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, FIXTURE_MARKS: marks },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    let out = '';
    parent.stdout?.on('data', (d) => {
      out += d;
    });
    const pid = await waitFor('child pid', () => (out.includes('\n') ? Number(out.trim()) : undefined));
    parent.kill('SIGKILL');
    await waitFor('the orphaned child to exit', () => (isAlive(pid) ? undefined : true), 5_000);
    expect(readMarks(marks)).toEqual(ORPHAN_STOP);
  });

  it('told stop-after, an orphaned app keeps running until those processes are gone, then stops cleanly', async () => {
    const marks = marksFile();
    const bot = startSleeper();
    const { pid, stderr } = await orphan(marks, `${bot.pid}:20000`);
    await new Promise((r) => setTimeout(r, 800));
    expect(isAlive(pid)).toBe(true);
    expect(readMarks(marks)).toEqual(['started supervised=true']);
    expect(stderr()).toContain(
      'orchestrator gone: stopping once the processes that stop before this one have exited',
    );
    const botGoneAt = Date.now();
    bot.kill('SIGTERM');
    await waitFor('the app to exit after the bot', () => (isAlive(pid) ? undefined : true), 10_000);
    // well before its 20 s waitMs: it went as soon as the bot was gone (loose: a shared, busy machine)
    expect(Date.now() - botGoneAt).toBeLessThan(8_000);
    expect(readMarks(marks)).toEqual(ORPHAN_STOP);
  });

  it('stops anyway once waitMs has passed, naming what still runs', async () => {
    const marks = marksFile();
    const bot = startSleeper();
    const { pid, stderr, killedAt } = await orphan(marks, `${bot.pid}:600`);
    await waitFor('the app to give up waiting', () => (isAlive(pid) ? undefined : true), 5_000);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(600);
    expect(isAlive(bot.pid as number)).toBe(true);
    expect(readMarks(marks)).toEqual(ORPHAN_STOP);
    const gaveUp = stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'stopped waiting for them: stopping anyway');
    expect(gaveUp).toMatchObject({ level: 'warn', stillRunning: [bot.pid], waitMs: 600 });
  });
});

const ORPHAN_STOP = [
  'started supervised=true',
  'stop quoting (orchestrator gone (IPC channel closed)) stopping=true',
  'cancel orders',
  'close venue',
  'flushed',
];

/** A stand-in for a bot: a process that runs until killed (reaped by this test process). */
function startSleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** Starts the fixture under a parent that sends `stop-after`, then SIGKILLs the parent. */
async function orphan(marks: string, stopAfter: string) {
  const parent = spawn(process.execPath, [...EXEC_ARGV, ORPHANING_PARENT], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, FIXTURE_MARKS: marks, FIXTURE_STOP_AFTER: stopAfter },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(parent);
  let out = '';
  let err = '';
  parent.stdout?.on('data', (d) => {
    out += d;
  });
  parent.stderr?.on('data', (d) => {
    err += d;
  });
  const pid = await waitFor('child pid', () => (out.includes('\n') ? Number(out.trim()) : undefined));
  const killedAt = Date.now();
  parent.kill('SIGKILL');
  return { pid, killedAt, stderr: () => err };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
