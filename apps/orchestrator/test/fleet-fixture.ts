/** Builds fleets of fixture apps (test/fixtures/app) from a real fleet config, for the tests and the benchmark. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type FleetConfig, parseFleetConfig } from '@drift/config';
import type { Logger } from '@drift/logging';
import { riskManagerOf } from '@drift/runtime';
import { type ApiServer, type ApiServerOptions, startApiServer } from '../src/api-server.js';
import { buildChildSpecs, type ChildSpec } from '../src/child-spec.js';
import { Fleet } from '../src/fleet.js';
import { createFleetMetrics } from '../src/metrics.js';
import { quietLogger } from './quiet-logger.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURE_DIR = 'apps/orchestrator/test/fixtures/app';
export const FIXTURE_ENTRY = `${FIXTURE_DIR}/src/main.ts`;

export interface FixtureApp {
  kind: 'infrastructure' | 'risk' | 'bot';
  fixture?: string;
  subAccount?: number;
  stopTimeoutMs?: number;
}

export interface RecordLine {
  app: string;
  pid: number;
  event: string;
  t: number;
  state?: string;
  reason?: string;
  by?: string;
  signal?: string;
  /** On `start`: the V8/Node flags the app was started with. */
  execArgv?: string[];
}

export function tempDir(prefix = 'orch-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A paper-mode fleet config whose apps (and simulator) are the fixture app. */
export interface FixtureOptions {
  record: string;
  sim?: string;
  orchestrator?: Record<string, unknown>;
  /** Merged into the config's `risk` section (e.g. `failClosed`). */
  risk?: Record<string, unknown>;
  /** The orchestrator's logger (default: silenced). */
  logger?: Logger;
}

export function fixtureConfig(apps: Record<string, FixtureApp>, opts: FixtureOptions): FleetConfig {
  return parseFleetConfig(fixtureConfigInput(apps, opts));
}

/** The same config as the object a YAML file would hold (JSON-safe). */
export function fixtureConfigInput(apps: Record<string, FixtureApp>, opts: FixtureOptions): object {
  const subAccounts: Record<string, { collateral: string }> = { '0': { collateral: '1000' } };
  const appsConfig: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(apps)) {
    if (a.subAccount !== undefined) subAccounts[String(a.subAccount)] = { collateral: '1000' };
    appsConfig[name] = {
      kind: a.kind,
      dir: FIXTURE_DIR,
      ...(a.subAccount !== undefined && { subAccount: a.subAccount }),
      ...(a.stopTimeoutMs !== undefined && { stopTimeoutMs: a.stopTimeoutMs }),
      // A risk fixture speaks like the real risk manager (a word per evaluation): bots fail closed without.
      env: {
        FIXTURE: [a.fixture, a.kind === 'risk' && 'words'].filter(Boolean).join(','),
        FIXTURE_RECORD: opts.record,
      },
    };
  }
  return {
    mode: 'paper',
    markets: ['SOL-PERP'],
    sim: { markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts },
    risk: {
      maxPositionBase: { 'SOL-PERP': '10' },
      maxGrossNotional: '1000',
      maxLeverage: '5',
      dailyLossLimit: '100',
      ...(!Object.values(apps).some((a) => a.kind === 'risk') && { allowNoRiskManager: true }),
      ...opts.risk,
    },
    apps: appsConfig,
    orchestrator: {
      restart: {
        baseMs: 100,
        factor: 2,
        capMs: 1000,
        stableAfterMs: 60_000,
        maxRestarts: 5,
        windowMs: 60_000,
        minUptimeMs: 500,
      },
      heartbeat: { intervalMs: 100, timeoutMs: 1500 },
      readyTimeoutMs: 10_000,
      stopTimeoutMs: 2_000,
      ...opts.orchestrator,
    },
  };
}

export function fixtureSpecs(config: FleetConfig, opts: { record: string; sim?: string }): ChildSpec[] {
  const specs = buildChildSpecs(config, { root: ROOT, overrides: { sim: { entry: FIXTURE_ENTRY } } });
  const sim = specs.find((s) => s.name === 'sim');
  if (sim) Object.assign(sim.env, { FIXTURE: opts.sim ?? '', FIXTURE_RECORD: opts.record });
  return specs;
}

export function fixtureFleet(apps: Record<string, FixtureApp>, opts: FixtureOptions): Fleet {
  const config = fixtureConfig(apps, opts);
  return new Fleet(fixtureSpecs(config, opts), {
    timings: config.orchestrator,
    logger: opts.logger ?? quietLogger(),
    stdio: 'ignore',
    ...(riskManagerOf(config) !== undefined && { failClosed: config.failClosed }),
  });
}

/**
 * A fixture fleet, started, behind the status API on a free loopback port; `stop()` closes both.
 */
export async function fixtureFleetWithApi(
  apps: Record<string, FixtureApp>,
  opts: { record: string; api: Pick<ApiServerOptions, 'token' | 'logFeed'>; logger?: Logger },
): Promise<{ fleet: Fleet; api: ApiServer; stop(): Promise<void> }> {
  const fleet = fixtureFleet(apps, { record: opts.record, ...(opts.logger && { logger: opts.logger }) });
  await fleet.start();
  const api = await startApiServer({
    fleet,
    registry: createFleetMetrics(fleet).registry,
    logger: quietLogger(),
    host: '127.0.0.1',
    port: 0,
    ...opts.api,
  });
  return {
    fleet,
    api,
    async stop() {
      await api.close();
      await fleet.stop();
    },
  };
}

export function readRecord(file: string): RecordLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RecordLine);
}

export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
  pollMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
