/**
 * What the orchestrator runs, derived from the fleet config: one `ChildSpec` per process, in start
 * order (simulator in paper mode, then infrastructure, risk, bots), with entry, working directory and
 * environment resolved. Missing entries are reported together, before anything starts.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { appsInStartOrder, type FleetConfig, type ProcessKind } from '@drift/config';
import { DriftError, findWorkspaceRoot } from '@drift/logging';
import { CHILD_ENV, RISK_WORD_FILE_ENV, riskManagerIssues, riskWordFilePath } from '@drift/runtime';
import { appEntryFile, type LaunchMode, OWN_LAUNCH_MODE } from './app-command.js';

export type ChildKind = 'sim' | ProcessKind;

export interface ChildSpec {
  name: string;
  kind: ChildKind;
  /** Absolute path of the entry file: built JavaScript, or TypeScript from source (see app-command). */
  entry: string;
  /** Absolute working directory (the app's package, so its deps, and tsx from source, resolve). */
  cwd: string;
  /** Extra environment on top of the orchestrator's own (minus its API token). */
  env: Record<string, string>;
  stopTimeoutMs: number;
  subAccount?: number;
}

export const SIM_APP_NAME = 'sim';
const SIM_DIR = 'packages/sim';
const SIM_ENTRY = 'server-main';
const APP_ENTRY = 'main';

export class FleetSpecError extends DriftError {
  override readonly code = 'DRIFT_ERR_FLEET_SPEC_INVALID';
  override readonly name = 'FleetSpecError';
  constructor(readonly issues: readonly string[]) {
    super(
      `cannot start the fleet (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${issues.join('\n  ')}`,
    );
  }
}

export interface SpecOptions {
  /** Workspace root; default: found from the config file's directory. */
  root?: string;
  /** Absolute path of the config file the children read (`DRIFT_BOTS_CONFIG`). */
  configPath?: string;
  /** Replace an app's entry / cwd (tests and the benchmark use this for the simulator). */
  overrides?: Record<string, { entry: string; cwd?: string }>;
  /** Built `dist/*.js` or `src/*.ts` entries; default: the way this orchestrator runs. */
  launch?: LaunchMode;
}

/** Where the user typed the command (`pnpm --filter` runs scripts in the package dir). */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/**
 * The workspace root app dirs are relative to: the one holding the config file, else the one we run
 * in (a config kept outside the repo), else the cwd.
 */
export function workspaceRootFor(configPath: string | undefined): string {
  const fromConfig =
    configPath && isAbsolute(configPath) ? findWorkspaceRoot(dirname(configPath)) : undefined;
  return fromConfig ?? findWorkspaceRoot(process.cwd()) ?? process.cwd();
}

/** Every process of the fleet in start order. Throws `FleetSpecError` naming each missing entry. */
export function buildChildSpecs(config: FleetConfig, opts: SpecOptions = {}): ChildSpec[] {
  const configPath = opts.configPath ?? (isAbsolute(config.source) ? config.source : undefined);
  const root =
    opts.root ?? findWorkspaceRoot(configPath ? dirname(configPath) : process.cwd()) ?? process.cwd();
  const { heartbeat } = config.orchestrator;
  const launch = opts.launch ?? OWN_LAUNCH_MODE;
  // One id for this run of the paper fleet: a restarted bot keeps its journal, a new run starts afresh.
  const paperSession = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const issues: string[] = riskManagerIssues(config);
  const riskWordFile = riskWordFilePath({ root });

  const make = (
    name: string,
    kind: ChildKind,
    dir: string,
    entryName: string,
    field: string,
    extra: { env?: Record<string, string>; stopTimeoutMs: number; subAccount?: number },
  ): ChildSpec => {
    const override = opts.overrides?.[name];
    const cwd = override ? resolve(root, override.cwd ?? dirname(override.entry)) : resolve(root, dir);
    const entryFile = appEntryFile(entryName, launch);
    const entry = override ? resolve(root, override.entry) : join(cwd, entryFile);
    if (!existsSync(entry)) {
      const hint = launch === 'built' && !override ? ': build it with `pnpm build` (`pnpm start` does)' : '';
      issues.push(`${field}: ${JSON.stringify(dir)} has no ${entryFile} (looked for ${entry})${hint}`);
    }
    const env: Record<string, string> = {
      ...extra.env,
      [CHILD_ENV.appName]: name,
      [CHILD_ENV.heartbeatMs]: String(heartbeat.intervalMs),
      // The child gives up on a clean stop a little before we SIGKILL it, so its logs get flushed.
      [CHILD_ENV.shutdownDeadlineMs]: String(Math.max(100, extra.stopTimeoutMs - 500)),
      DRIFT_PARENT_PID: String(process.pid),
    };
    if (extra.subAccount !== undefined) env.DRIFT_SUB_ACCOUNT = String(extra.subAccount);
    if (config.mode === 'paper') env[CHILD_ENV.paperSession] = paperSession;
    // The risk manager's word as a file, for when another supervisor runs an export of this fleet
    // (under the orchestrator the word comes over IPC): one absolute path for writer and readers.
    if (kind === 'risk' || kind === 'bot') env[RISK_WORD_FILE_ENV] = riskWordFile;
    if (configPath) env.DRIFT_BOTS_CONFIG = configPath;
    return {
      name,
      kind,
      entry,
      cwd,
      env,
      stopTimeoutMs: extra.stopTimeoutMs,
      ...(extra.subAccount !== undefined && { subAccount: extra.subAccount }),
    };
  };

  const specs: ChildSpec[] = [];
  if (config.mode === 'paper') {
    specs.push(
      make(SIM_APP_NAME, 'sim', SIM_DIR, SIM_ENTRY, 'sim', {
        stopTimeoutMs: config.orchestrator.stopTimeoutMs,
      }),
    );
  }
  for (const app of appsInStartOrder(config)) {
    if (app.name === SIM_APP_NAME) {
      issues.push(
        `apps.${SIM_APP_NAME}: the name is reserved for the simulator the orchestrator starts in paper mode`,
      );
      continue;
    }
    specs.push(
      make(app.name, app.kind, app.dir, APP_ENTRY, `apps.${app.name}.dir`, {
        env: app.env,
        stopTimeoutMs: app.stopTimeoutMs,
        ...(app.subAccount !== undefined && { subAccount: app.subAccount }),
      }),
    );
  }
  if (issues.length > 0) throw new FleetSpecError(issues);
  return specs;
}
