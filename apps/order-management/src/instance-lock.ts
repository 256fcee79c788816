/**
 * One instance per journal and per (wallet, sub-account): an OS-level lock file, created with an
 * exclusive open (`wx`) and holding the owner's pid, taken before the journal opens or any order
 * goes out. A second instance is refused with the holder's pid and touches nothing of the first's.
 * A lock whose pid is gone (the holder was SIGKILLed) is taken over; a pid that is reused keeps
 * refusing, which is the safe side.
 */

import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FleetConfig } from '@drift/config';
import { DriftError } from '@drift/logging';
import { dataDir, isFleetMember } from '@drift/runtime';

export class InstanceLockError extends DriftError {
  override readonly code = 'DRIFT_ERR_INSTANCE_LOCKED';
  override readonly name = 'InstanceLockError';
  constructor(
    readonly what: string,
    readonly file: string,
    readonly holderPid: number,
  ) {
    super(
      `${what} is held by another instance (pid ${holderPid}, lock ${file}): stop it first; nothing of its was touched`,
    );
  }
}

export interface InstanceLock {
  readonly file: string;
  release(): void;
}

/** Takes the lock at `file` for this process or throws `InstanceLockError` naming the holder. */
export function acquireInstanceLock(file: string, what: string): InstanceLock {
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = holderOf(file);
      if (holder !== undefined && holder !== process.pid && isAlive(holder))
        throw new InstanceLockError(what, file, holder);
      // Stale (holder gone) or torn: moved aside atomically, so only one contender removes it.
      const aside = `${file}.stale.${process.pid}`;
      try {
        renameSync(file, aside);
        // A contender's fresh lock moved by mistake goes back; the stale one goes.
        if (holderOf(aside) === holder) rmSync(aside, { force: true });
        else renameSync(aside, file);
      } catch {
        // Someone else moved it first: try again.
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return {
      file,
      release() {
        if (holderOf(file) === process.pid) rmSync(file, { force: true });
      },
    };
  }
  throw new Error(`${what}: could not take the lock ${file} (contended)`);
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lock of a bot's (wallet, sub-account). Live: per keypair file and sub-account, under the
 * user's home so that fleets with separate data dirs still see each other. Paper: per simulator
 * server and sub-account, in the data dir; a bot alone on its embedded simulator shares nothing.
 */
export function subAccountLockPath(
  config: FleetConfig,
  subAccount: number,
  embeddedSim: boolean,
  env = process.env,
): string | undefined {
  if (config.mode === 'live') {
    const wallet = createHash('sha256')
      .update(config.wallet?.keypairPath ?? '')
      .digest('hex')
      .slice(0, 16);
    return join(
      env.HOME ?? homedir(),
      '.drift-bots',
      'locks',
      `live-${config.env}-${wallet}-sub${subAccount}.lock`,
    );
  }
  if (embeddedSim) return undefined;
  return join(dataDir({ env }), 'locks', `paper-${config.sim.host}-${config.sim.port}-sub${subAccount}.lock`);
}

/**
 * The locks a bot takes before its journal opens: the journal's, and its (wallet, sub-account)'s
 * unless it runs on an embedded simulator of its own. A fleet member trades the fleet's venue
 * whatever supervises it (the orchestrator, or an export's supervisor: `isFleetMember`), so it
 * takes both; the venue choice follows the same rule (drift-client's `simChoiceFor`).
 */
export function instanceLockFiles(opts: {
  config: FleetConfig;
  bot: string;
  journal: string;
  subAccount: number;
  supervised: boolean;
  env?: NodeJS.ProcessEnv;
}): { file: string; what: string }[] {
  const { config, bot, journal, subAccount, supervised, env = process.env } = opts;
  const embeddedSim = config.mode === 'paper' && !isFleetMember(supervised, env);
  const subAccountFile = subAccountLockPath(config, subAccount, embeddedSim, env);
  return [
    { file: `${journal}.lock`, what: `${bot}'s journal ${journal}` },
    ...(subAccountFile ? [{ file: subAccountFile, what: `sub-account ${subAccount}` }] : []),
  ];
}
