/**
 * The bot as the orchestrator runs it: a real child process with an IPC channel, in paper mode on
 * its own embedded simulator (no sim server on the configured port), logs and journal in a temp dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildMessage, parseChildMessage } from '@drift/core';
import { afterEach, describe, expect, it } from 'vitest';

const APP = 'trend-bot';
let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe(`${APP} under an orchestrator`, () => {
  it('reports ready, heartbeats, stays up halted, and exits 0 on SIGTERM after cancelling', async () => {
    dir = mkdtempSync(join(tmpdir(), `${APP}-process-`));
    const messages: ChildMessage[] = [];
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        LOG_DIR: join(dir, 'logs'),
        DRIFT_DATA_DIR: join(dir, 'data'),
        SIM_PORT: String(await freePort()),
        DRIFT_HEARTBEAT_MS: '200',
      },
    });
    child.on('message', (raw) => {
      const parsed = parseChildMessage(raw);
      if (parsed.ok) messages.push(parsed.message);
    });
    const next = async <T extends ChildMessage>(
      pick: (m: ChildMessage) => m is T,
      from = messages.length,
    ) => {
      for (let waited = 0; waited < 20_000; waited += 50) {
        const found = messages.slice(from).find(pick);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('timed out waiting for a message from the bot');
    };
    type Beat = Extract<ChildMessage, { type: 'heartbeat' }>;
    const isBeat = (m: ChildMessage): m is Beat => m.type === 'heartbeat';

    const ready = await next((m): m is Extract<ChildMessage, { type: 'ready' }> => m.type === 'ready', 0);
    expect(ready).toMatchObject({ app: APP, info: { mode: 'paper' } });
    const beat = await next(isBeat);
    expect(beat.status.tradingState).toBe('active');
    expect(beat.status.pnlQuote).toMatch(/^-?\d+(\.\d+)?$/);

    child.send({ type: 'halt', reason: 'test: risk halt' });
    await next((m): m is Beat => isBeat(m) && m.status.tradingState === 'halted');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull(); // a halted bot stays up
    const later = await next(isBeat);
    expect(later.status.tradingState).toBe('halted');

    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const log = readFileSync(join(dir, 'logs', `${APP}.log`), 'utf8');
    expect(log).toMatch(/ready/);
    expect(log).toMatch(/cancel-all done/);
    expect(log).toMatch(/exitCode["=:]+0/);
  }, 40_000);
});
