/**
 * What every `fleet export` target shares: the exported file, the options, the start-order stages
 * and the split of an app's env into plain (derived) and secret (the config's `env`, and the values
 * of the env vars the config names as holding secrets).
 */
import { type FleetConfig, secretEnvNames } from '@drift/config';
import type { ChildKind, ChildSpec } from './child-spec.js';

export interface ExportedFile {
  /** Relative to the output directory. */
  path: string;
  content: string;
  /** File mode; 0o600 for anything holding a secret. Default 0o644. */
  mode?: number;
}

export interface ExportOptions {
  root: string;
  /** Absolute directory the files are installed in (systemd `EnvironmentFile=`, pm2 log paths). */
  outDir: string;
  /** Node binary for pm2/systemd (default: this one, the project's Node 24). */
  nodePath?: string;
  /** Directory the apps log to (default: the fleet's, `LOG_DIR` or `<root>/logs`). */
  logDir?: string;
  /** k8s: container image holding the workspace at `imageRoot`. */
  image?: string;
  imageRoot?: string;
  /** k8s: namespace of every object. */
  namespace?: string;
  /** k8s: measured resident memory per app, bytes (from a running fleet); else `DEFAULT_RSS_BYTES`. */
  rssBytes?: Readonly<Record<string, number>>;
  /** prometheus: where the orchestrator's /metrics is (default: the config's API address). */
  metricsTarget?: string;
  /** k8s: the config file's text; the pods get it from a `Secret` (the image holds no config). */
  configText?: string;
  /**
   * Where the values of the env vars the config names as secrets (`DRIFT_RPC_URL`, a webhook's
   * `urlEnv`) are read: default this process's, the environment the fleet would start with.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Stages of the start order; each app depends on every app of the stages before it. */
export const STAGES: readonly ChildKind[] = ['sim', 'infrastructure', 'risk', 'bot'];

export function appsBefore(spec: ChildSpec, specs: readonly ChildSpec[]): ChildSpec[] {
  const stage = STAGES.indexOf(spec.kind);
  return specs.filter((s) => STAGES.indexOf(s.kind) < stage);
}

/** Env an app never gets: the orchestrator's own API token (as under the orchestrator). */
const ORCHESTRATOR_ONLY_ENV = new Set(['ORCHESTRATOR_TOKEN']);

/**
 * The env vars the config names as holding secrets that are set where the export runs, with their
 * values: under the orchestrator every app inherits them, so an exported app must get them too.
 */
export function namedSecretEnv(
  config: FleetConfig,
  opts: Pick<ExportOptions, 'env'>,
): Record<string, string> {
  const env = opts.env ?? process.env;
  const found: Record<string, string> = {};
  for (const name of secretEnvNames(config)) {
    const value = env[name];
    if (value && !ORCHESTRATOR_ONLY_ENV.has(name)) found[name] = value;
  }
  return found;
}

/**
 * An app's environment split in two: what the orchestrator derives (name, heartbeat, deadlines,
 * config path; plain) and what may be secret, kept for a 0600 file / Secret: the config's
 * `apps.<name>.env` and the named secret env (`namedSecretEnv`; the app's own `env` wins).
 */
export function splitEnv(
  spec: ChildSpec,
  config: FleetConfig,
  opts: Pick<ExportOptions, 'env'>,
  rewritePath: (p: string) => string = (p) => p,
): { plain: Record<string, string>; secret: Record<string, string> } {
  const secretKeys = new Set(Object.keys(config.apps[spec.name]?.env ?? {}));
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = namedSecretEnv(config, opts);
  for (const [key, value] of Object.entries(spec.env)) {
    if (key === 'DRIFT_PARENT_PID') continue; // an orchestrator-only safety net
    if (secretKeys.has(key)) secret[key] = value;
    else plain[key] = key === 'DRIFT_BOTS_CONFIG' ? rewritePath(value) : value;
  }
  return { plain, secret };
}
