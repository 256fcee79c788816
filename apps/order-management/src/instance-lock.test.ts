import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFleetConfig } from '@drift/config';
import { CHILD_ENV } from '@drift/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockError, instanceLockFiles } from './instance-lock.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const config = loadFleetConfig({ path: join(ROOT, 'drift-bots.yaml'), env: {} });
const dir = mkdtempSync(join(tmpdir(), 'instance-lock-'));
const journal = join(dir, 'trend-bot.orders.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = (supervised: boolean, env: NodeJS.ProcessEnv) =>
  instanceLockFiles({ config, bot: 'trend-bot', journal, subAccount: 3, supervised, env }).map((f) => f.file);

describe('instanceLockFiles (paper)', () => {
  const env = { DRIFT_DATA_DIR: dir };
  const subAccountLock = join(dir, 'locks', `paper-${config.sim.host}-${config.sim.port}-sub3.lock`);

  it('a bot under the orchestrator locks its journal and its sub-account on the fleet sim', () => {
    expect(files(true, env)).toEqual([`${journal}.lock`, subAccountLock]);
  });

  // Under a fleet export (pm2, systemd) or started by hand with the fleet's environment, a bot has
  // no IPC channel but trades the fleet's sim server: its sub-account is the fleet's too.
  it('a bot with the fleet paper session but no IPC channel locks its sub-account as well', () => {
    expect(files(false, { ...env, [CHILD_ENV.paperSession]: 'session-1' })).toEqual([
      `${journal}.lock`,
      subAccountLock,
    ]);
  });

  it('a bot alone (its own embedded simulator) shares no sub-account: its journal only', () => {
    expect(files(false, env)).toEqual([`${journal}.lock`]);
  });

  it("a second fleet member on the same sub-account is refused, naming the first's pid", async () => {
    const first = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const [, subAccountFile] = files(false, { ...env, [CHILD_ENV.paperSession]: 'session-1' });
      if (!subAccountFile) throw new Error('no sub-account lock');
      acquireInstanceLock(subAccountFile, 'sub-account 3').release();
      writeFileSync(subAccountFile, `${first.pid}\n`);
      expect(() => acquireInstanceLock(subAccountFile, 'sub-account 3')).toThrow(InstanceLockError);
      expect(() => acquireInstanceLock(subAccountFile, 'sub-account 3')).toThrow(
        `sub-account 3 is held by another instance (pid ${first.pid},`,
      );
    } finally {
      first.kill('SIGKILL');
    }
  });
});
