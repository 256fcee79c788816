/**
 * `fleet export pm2|systemd|k8s|prometheus`: the same fleet, from the same config, for the tools an
 * operator already runs. Every app (simulator included in paper mode) runs its built JavaScript
 * (`appCommand`) on the project's Node; start order becomes dependencies where the target has them.
 * An app's `env` from the config may hold secrets (RPC URLs with keys, webhook URLs, tokens): it only
 * goes to a file written 0600 (pm2 ecosystem, systemd EnvironmentFile) or a Kubernetes `Secret`.
 * The orchestrator's own token and pid never reach the files.
 */
import type { FleetConfig } from '@drift/core';
import type { ChildKind, ChildSpec } from './child-spec.js';
import { exportK8s } from './export-k8s.js';
import { exportPm2 } from './export-pm2.js';
import { exportPrometheus } from './export-prometheus.js';
import { exportSystemd } from './export-systemd.js';

export type ExportTarget = 'pm2' | 'systemd' | 'k8s' | 'prometheus';
export const EXPORT_TARGETS: readonly ExportTarget[] = ['pm2', 'systemd', 'k8s', 'prometheus'];

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

export function exportFleet(
  target: ExportTarget,
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  if (target === 'pm2') return exportPm2(specs, config, opts);
  if (target === 'systemd') return exportSystemd(specs, config, opts);
  if (target === 'k8s') return exportK8s(specs, config, opts);
  return exportPrometheus(specs, config, opts);
}
