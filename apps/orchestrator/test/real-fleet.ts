/**
 * The real fleet of drift-bots.yaml under a real orchestrator process, on free ports with everything
 * on disk in a temp dir: for the tests (from source: every app runs its real `src/main.ts` under tsx)
 * and the benchmark (also built: `dist/`, as `pnpm start` runs it) that need the real apps rather
 * than the fixture app.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { LaunchMode } from '../src/app-command.js';
import { freePort } from './paper-fleet.js';

export { freePort };

const PKG = resolve(import.meta.dirname, '..');
const ROOT = resolve(PKG, '../..');

/** The example config with the simulator on a free port, the API on any port, no webhooks; `edit` adds the rest. */
// biome-ignore lint/suspicious/noExplicitAny: the YAML document as parsed, edited freely by each test
export async function writeExampleConfig(dir: string, edit: (config: any) => void): Promise<string> {
  const config = parse(readFileSync(join(ROOT, 'drift-bots.yaml'), 'utf8'));
  config.sim.port = await freePort();
  config.risk.webhooks = [];
  config.orchestrator.readyTimeoutMs = 60_000;
  config.orchestrator.heartbeat = { intervalMs: 1000, timeoutMs: 30_000 };
  edit(config);
  const file = join(dir, 'drift-bots.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

export interface RealOrchestrator {
  child: ChildProcess;
  /** The status API's base URL, once the whole fleet is up. */
  api: string;
}

/** The orchestrator as `pnpm start` (scripts/start.mjs: built) and its package `start` (source) run it. */
const ORCHESTRATOR: Record<LaunchMode, { entry: string; execArgv: string[] }> = {
  built: { entry: 'dist/main.js', execArgv: ['--max-semi-space-size=1'] },
  source: {
    entry: 'src/main.ts',
    execArgv: ['--max-semi-space-size=1', '--conditions=source', '--import', 'tsx'],
  },
};

/**
 * Forks the orchestrator on `configFile` and waits for its `ready` (every app started). `built`
 * needs every app's dist/ (`pnpm --filter orchestrator build:fleet`).
 */
export async function startOrchestrator(
  dir: string,
  configFile: string,
  env: Record<string, string> = {},
  launch: LaunchMode = 'source',
): Promise<RealOrchestrator> {
  let stderr = '';
  const { entry, execArgv } = ORCHESTRATOR[launch];
  const child = fork(join(PKG, entry), [], {
    cwd: PKG,
    execArgv,
    env: {
      ...process.env,
      DRIFT_BOTS_CONFIG: configFile,
      ORCHESTRATOR_TOKEN: '',
      LOG_DIR: join(dir, 'logs'),
      DRIFT_DATA_DIR: join(dir, 'data'),
      RISK_STATE_FILE: join(dir, 'data', 'risk-state.json'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true,
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const { api } = await new Promise<{ api: string }>((ok, fail) => {
    child.on('message', (m: { type?: string; info?: { api: string } }) => {
      if (m.type === 'ready' && m.info) ok(m.info);
    });
    child.once('exit', (code) => fail(new Error(`orchestrator exited ${code}: ${stderr}`)));
  });
  return { child, api };
}
