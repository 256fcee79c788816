/**
 * The orchestrator as a process (`src/main.ts`, what `pnpm start` runs): bad input stops it before
 * anything starts; SIGTERM stops the fleet in order; SIGKILL leaves no child behind.
 */
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FleetStatus } from '../src/status.js';
import { FIXTURE_DIR, isAlive, readRecord, removeDir, tempDir, waitFor } from './fleet-fixture.js';

const PKG = resolve(import.meta.dirname, '..');
const MAIN = join(PKG, 'src/main.ts');
const TOKEN = 'process-test-token-0123456789';
let dir: string;
let orchestrator: ChildProcess | undefined;

afterEach(() => {
  orchestrator?.kill('SIGKILL');
  orchestrator = undefined;
  removeDir(dir);
});

function writeConfig(apps: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'drift-bots.yaml');
  writeFileSync(
    file,
    stringify({
      mode: 'live',
      markets: ['SOL-PERP'],
      wallet: { keypairPath: join(dir, 'never-read.json') },
      rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }] },
      apps,
      risk: {
        maxPositionBase: { 'SOL-PERP': '10' },
        maxGrossNotional: '1000',
        maxLeverage: '5',
        dailyLossLimit: '100',
      },
      orchestrator: {
        api: { host: '127.0.0.1', port: 0, token: TOKEN },
        heartbeat: { intervalMs: 200, timeoutMs: 60_000 },
        stopTimeoutMs: 3_000,
      },
      ...extra,
    }),
  );
  return file;
}

const app = (kind: string, fixture = '', more: Record<string, unknown> = {}) => ({
  kind,
  dir: FIXTURE_DIR,
  // A risk fixture speaks like the real risk manager (a word per evaluation).
  env: {
    FIXTURE: [fixture, kind === 'risk' && 'words'].filter(Boolean).join(','),
    FIXTURE_RECORD: join(dir, 'record.jsonl'),
  },
  ...more,
});

function startOrchestrator(config: string, env: Record<string, string> = {}) {
  let stderr = '';
  const child = fork(MAIN, [], {
    cwd: PKG,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: {
      ...process.env,
      DRIFT_BOTS_CONFIG: config,
      ORCHESTRATOR_TOKEN: '',
      LOG_DIR: join(dir, 'logs'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true, // its own process group, like a shell job: Ctrl-C is a SIGINT to the group
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  orchestrator = child;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<{ api: string }>((resolveReady, reject) => {
    child.on('message', (m: { type?: string; info?: { api: string } }) => {
      if (m.type === 'ready' && m.info) resolveReady(m.info);
    });
    child.once('exit', (code) => reject(new Error(`orchestrator exited ${code}: ${stderr}`)));
  });
  ready.catch(() => {});
  return { child, exited, ready, stderr: () => stderr };
}

async function status(api: string): Promise<FleetStatus> {
  return (await (await fetch(`${api}/api/status`)).json()) as FleetStatus;
}

describe('orchestrator process', () => {
  it('refuses a bad config before starting anything, naming the field and the value', async () => {
    dir = tempDir();
    const config = writeConfig(
      { 'hedge-bot': app('bot', '', { subAccount: 2 }) },
      { orchestrator: { api: { port: 70000, token: TOKEN } } },
    );
    const run = startOrchestrator(config);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('orchestrator.api.port: 70000 is not a port number (0-65535)');
    expect(readRecord(join(dir, 'record.jsonl'))).toEqual([]);
    // Also in its own log file (a critical app).
    expect(readFileSync(join(dir, 'logs/orchestrator.log'), 'utf8')).toContain('orchestrator cannot start');
  });

  it('refuses an app without an entry before starting anything', async () => {
    dir = tempDir();
    const config = writeConfig({
      'rpc-manager': app('infrastructure'),
      'ghost-bot': { kind: 'bot', subAccount: 7, dir: 'apps/ghost-bot' },
    });
    const run = startOrchestrator(config);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/apps\.ghost-bot\.dir: "apps\/ghost-bot" has no src\/main\.ts/);
    expect(readRecord(join(dir, 'record.jsonl'))).toEqual([]);
  });

  it("checks every app's params by its own schema before starting anything: one report, exit 2", async () => {
    dir = tempDir();
    const config = writeConfig({
      // A library is never started, but the bots read its params: checked all the same.
      'swift-client': { kind: 'library', params: { verifySignatures: 'yes' } },
      'risk-manager': { kind: 'risk', params: { pollIntervalMs: 5 } },
      'jit-mm-swift': {
        subAccount: 1,
        params: {
          markets: ['SOL-PERP'],
          edgeBPS: 4,
          maxOrderBase: { 'SOL-PERP': '1' },
          maxPositionBase: { 'SOL-PERP': '5' },
        },
      },
      'hedge-bot': {
        subAccount: 2,
        params: {
          watchSubAccounts: [1],
          bandBase: { 'SOL-PERP': '1' },
          maxOrderBase: { 'SOL-PERP': '-5' },
          maxSlippageBps: 15,
          cooldownMs: 'soon',
        },
      },
      'trend-bot': {
        subAccount: 3,
        params: {
          markets: ['SOL-PERP'],
          timeframe: '1m',
          signal: { type: 'ema-cross', fastPeriod: 12, slowPeriod: 48 },
          atrPeriod: 14,
          riskPerTradeBps: 50,
          stopAtr: '2.5',
          maxPositionBase: { 'SOL-PERP': '100000' },
        },
      },
    });
    const run = startOrchestrator(config);
    expect(await run.exited).toBe(2);
    const report = run.stderr();
    expect(report).toContain('apps.swift-client.params.verifySignatures: "yes" is not true or false');
    expect(report).toContain('apps.risk-manager.params.pollIntervalMs: 5 is below 50 ms');
    expect(report).toContain('apps.jit-mm-swift.params: unknown key "edgeBPS" (did you mean "edgeBps"?)');
    expect(report).toContain(
      'apps.hedge-bot.params.maxOrderBase.SOL-PERP: "-5" is not a positive base amount',
    );
    expect(report).toContain('apps.hedge-bot.params.cooldownMs: "soon"');
    expect(report).toContain(
      'apps.trend-bot.params.maxPositionBase.SOL-PERP: "100000" is above risk.maxPositionBase.SOL-PERP (10)',
    );
    // One report: the orchestrator's own log, no app's (none was started).
    expect(readdirSync(join(dir, 'logs'))).toEqual(['orchestrator.log']);
  });

  it('refuses a live fleet without a risk manager before starting anything', async () => {
    dir = tempDir();
    const config = writeConfig({
      'rpc-manager': app('infrastructure'),
      'risk-manager': app('risk', '', { enabled: false }),
      'hedge-bot': app('bot', '', { subAccount: 2 }),
    });
    const run = startOrchestrator(config);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('live mode needs an enabled risk manager');
    expect(readRecord(join(dir, 'record.jsonl'))).toEqual([]);
  });

  it('runs a paper fleet without a risk manager only when the config says so, with a WARN', async () => {
    dir = tempDir();
    const apps = { 'hedge-bot': app('bot', '', { subAccount: 2 }) };
    const paper = {
      mode: 'paper',
      sim: { markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts: { '2': { collateral: '1000' } } },
    };
    const refused = startOrchestrator(writeConfig(apps, paper));
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain('no enabled risk manager');
    expect(refused.stderr()).toContain('risk.allowNoRiskManager: true');

    const risk = {
      maxPositionBase: { 'SOL-PERP': '10' },
      maxGrossNotional: '1000',
      maxLeverage: '5',
      dailyLossLimit: '100',
      allowNoRiskManager: true,
    };
    const run = startOrchestrator(writeConfig(apps, { ...paper, risk }), { SIM_PORT: '0' });
    await run.ready;
    const log = readFileSync(join(dir, 'logs/orchestrator.log'), 'utf8');
    expect(log).toMatch(/WARN.*paper fleet WITHOUT a risk manager|paper fleet WITHOUT a risk manager.*warn/i);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('leaves no child behind when it is SIGKILLed: they notice the lost channel and stop cleanly', async () => {
    dir = tempDir();
    const config = writeConfig({
      'rpc-manager': app('infrastructure'),
      'risk-manager': app('risk', 'risk'),
      'hedge-bot': app('bot', '', { subAccount: 2 }),
      'raw-bot': app('bot', 'raw', { subAccount: 3 }), // no lifecycle helper: the guard stops it
    });
    const run = startOrchestrator(config);
    const { api } = await run.ready;
    const pids = (await status(api)).apps.map((a) => a.pid);
    expect(pids.every((p) => typeof p === 'number')).toBe(true);
    run.child.kill('SIGKILL');
    await waitFor(() => pids.every((p) => !isAlive(p as number)), 8_000, 'every child gone');
    const records = readRecord(join(dir, 'record.jsonl'));
    for (const name of ['rpc-manager', 'risk-manager', 'hedge-bot']) {
      expect(records.find((r) => r.app === name && r.event === 'signal')?.signal).toBe(
        'orchestrator gone (IPC channel closed)',
      );
      expect(records.find((r) => r.app === name && r.event === 'exit')).toMatchObject({ code: 0 });
    }
    expect(records.find((r) => r.app === 'raw-bot' && r.event === 'signal')?.signal).toBe('SIGTERM');
  });

  it('stops the fleet in order on Ctrl-C (SIGINT to its process group) and exits 0', async () => {
    dir = tempDir();
    const config = writeConfig({
      'rpc-manager': app('infrastructure'),
      'risk-manager': app('risk', 'risk'),
      'hedge-bot': app('bot', 'hang-on-stop', { subAccount: 2, stopTimeoutMs: 500 }),
    });
    const run = startOrchestrator(config);
    const { api } = await run.ready;
    const pids = (await status(api)).apps.map((a) => a.pid as number);
    process.kill(-(run.child.pid as number), 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    const signals = readRecord(join(dir, 'record.jsonl')).filter((r) => r.event === 'signal');
    // Each child was stopped by the orchestrator (SIGTERM), in order, not by the terminal's SIGINT.
    expect(signals.map((r) => `${r.app}:${r.signal}`)).toEqual([
      'hedge-bot:SIGTERM',
      'risk-manager:SIGTERM',
      'rpc-manager:SIGTERM',
    ]);
    expect(readFileSync(join(dir, 'logs/orchestrator.log'), 'utf8')).toMatch(/fleet stopped/);
  });

  it('without a configured token, writes one (0600) into DRIFT_DATA_DIR, where the fleet CLI finds it', async () => {
    dir = tempDir();
    const repoToken = join(PKG, '../../data/orchestrator/api-token');
    const repoTokenBefore = existsSync(repoToken) ? statSync(repoToken).mtimeMs : undefined;
    const config = writeConfig(
      { 'risk-manager': app('risk'), 'hedge-bot': app('bot', '', { subAccount: 2 }) },
      { orchestrator: { api: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3_000 } },
    );
    const data = join(dir, 'fleet-data');
    const run = startOrchestrator(config, { DRIFT_DATA_DIR: data });
    const { api } = await run.ready;
    const file = join(data, 'orchestrator/api-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'orchestrator')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toMatch(/^[\w-]{32}\n$/);
    expect(existsSync(repoToken) ? statSync(repoToken).mtimeMs : undefined).toBe(repoTokenBefore);

    const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'src/cli.ts', 'stop', 'hedge-bot'],
        {
          cwd: PKG,
          env: {
            ...process.env,
            DRIFT_BOTS_CONFIG: config,
            DRIFT_DATA_DIR: data,
            ORCHESTRATOR_TOKEN: '',
            ORCHESTRATOR_URL: api,
          },
        },
        (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }),
      ),
    );
    expect(cli, cli.stderr).toMatchObject({ code: 0, stdout: 'hedge-bot: stopped\n' });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
