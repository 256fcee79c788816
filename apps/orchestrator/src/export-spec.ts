/**
 * What every `fleet export` target shares: the exported file, the options, the start-order stages
 * and the split of an app's env into plain (derived) and possibly secret (the config's `env`).
 */
import type { FleetConfig } from '@drift/config';
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
}

/** Stages of the start order; each app depends on every app of the stages before it. */
export const STAGES: readonly ChildKind[] = ['sim', 'infrastructure', 'risk', 'bot'];

export function appsBefore(spec: ChildSpec, specs: readonly ChildSpec[]): ChildSpec[] {
  const stage = STAGES.indexOf(spec.kind);
  return specs.filter((s) => STAGES.indexOf(s.kind) < stage);
}

/**
 * An app's environment split in two: what the orchestrator derives (name, heartbeat, deadlines,
 * config path; plain) and the config's `apps.<name>.env` (may be secret: kept for 0600 / Secret).
 */
export function splitEnv(
  spec: ChildSpec,
  config: FleetConfig,
  rewritePath: (p: string) => string = (p) => p,
): { plain: Record<string, string>; secret: Record<string, string> } {
  const secretKeys = new Set(Object.keys(config.apps[spec.name]?.env ?? {}));
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.env)) {
    if (key === 'DRIFT_PARENT_PID') continue; // an orchestrator-only safety net
    if (secretKeys.has(key)) secret[key] = value;
    else plain[key] = key === 'DRIFT_BOTS_CONFIG' ? rewritePath(value) : value;
  }
  return { plain, secret };
}
