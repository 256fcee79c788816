/**
 * `fleet export pm2|systemd|k8s|prometheus`: the same fleet, from the same config, for the tools an
 * operator already runs. Every app (simulator included in paper mode) runs its built JavaScript
 * (`appCommand`) on the project's Node; start order becomes dependencies where the target has them.
 * An app's `env` from the config may hold secrets (RPC URLs with keys, webhook URLs, tokens), and so
 * do the env vars the config names (`DRIFT_RPC_URL`, a webhook's `urlEnv`), carried with the value
 * they have where the export runs: they only go to a file written 0600 (pm2 ecosystem, systemd
 * EnvironmentFile) or a Kubernetes `Secret`, as does the config file itself for the pods.
 * The orchestrator's own token and pid never reach the files.
 */
import type { FleetConfig } from '@drift/config';
import type { ChildSpec } from './child-spec.js';
import { exportK8s } from './export-k8s.js';
import { exportPm2 } from './export-pm2.js';
import { exportPrometheus } from './export-prometheus.js';
import type { ExportedFile, ExportOptions } from './export-spec.js';
import { exportSystemd } from './export-systemd.js';

export type ExportTarget = 'pm2' | 'systemd' | 'k8s' | 'prometheus';
export const EXPORT_TARGETS: readonly ExportTarget[] = ['pm2', 'systemd', 'k8s', 'prometheus'];

export type { ExportedFile, ExportOptions } from './export-spec.js';

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
