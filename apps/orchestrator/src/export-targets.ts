/**
 * `fleet export pm2|systemd|k8s`: the same fleet, from the same config, for an existing supervisor.
 * Each target gets every app (simulator included in paper mode) with its entry, working directory,
 * environment, restart policy and stop timeout; start order becomes dependencies where the target
 * has them (systemd `After=`, which also reverses the stop order). Nothing secret is added: the
 * orchestrator's own token and pid never reach the files.
 */
import { relative } from 'node:path';
import type { FleetConfig } from '@drift/core';
import { stringify } from 'yaml';
import type { ChildKind, ChildSpec } from './child-spec.js';

export type ExportTarget = 'pm2' | 'systemd' | 'k8s';
export const EXPORT_TARGETS: readonly ExportTarget[] = ['pm2', 'systemd', 'k8s'];

export interface ExportedFile {
  /** Relative to the output directory. */
  path: string;
  content: string;
}

export interface ExportOptions {
  root: string;
  /** Node binary for pm2/systemd (default: this one). */
  nodePath?: string;
  /** k8s: container image holding the workspace at `imageRoot`. */
  image?: string;
  imageRoot?: string;
  /** k8s: namespace of every object. */
  namespace?: string;
}

const NODE_ARGS = ['--conditions=source', '--import', 'tsx'];
/** Port of `run-one`'s health endpoint inside a pod. */
export const HEALTH_PORT = 8781;

function exportedEnv(spec: ChildSpec, rewritePath: (p: string) => string = (p) => p): Record<string, string> {
  const env = { ...spec.env };
  delete env.DRIFT_PARENT_PID; // an orchestrator-only safety net
  if (env.DRIFT_BOTS_CONFIG) env.DRIFT_BOTS_CONFIG = rewritePath(env.DRIFT_BOTS_CONFIG);
  return env;
}

export function exportFleet(
  target: ExportTarget,
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  if (target === 'pm2') return [exportPm2(specs, config, opts)];
  if (target === 'systemd') return exportSystemd(specs, config, opts);
  return [exportK8s(specs, config, opts)];
}

function exportPm2(specs: readonly ChildSpec[], config: FleetConfig, opts: ExportOptions): ExportedFile {
  const r = config.orchestrator.restart;
  const apps = specs.map((spec) => ({
    name: spec.name,
    script: spec.entry,
    cwd: spec.cwd,
    interpreter: opts.nodePath ?? process.execPath,
    node_args: NODE_ARGS.join(' '),
    env: exportedEnv(spec),
    autorestart: true,
    exp_backoff_restart_delay: r.baseMs,
    max_restarts: r.maxRestarts,
    min_uptime: r.minUptimeMs,
    kill_timeout: spec.stopTimeoutMs,
    // Each app writes its own log file through @drift/logging; pm2 keeps only the console copy.
    merge_logs: true,
  }));
  return { path: 'ecosystem.config.json', content: `${JSON.stringify({ apps }, null, 2)}\n` };
}

const UNIT_PREFIX = 'drift-';
const STAGES: readonly ChildKind[] = ['sim', 'infrastructure', 'risk', 'bot'];

function systemdQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function exportSystemd(
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  const r = config.orchestrator.restart;
  const node = opts.nodePath ?? process.execPath;
  const sec = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}`;
  const files = specs.map((spec): ExportedFile => {
    const stage = STAGES.indexOf(spec.kind);
    const before = specs
      .filter((s) => STAGES.indexOf(s.kind) < stage)
      .map((s) => `${UNIT_PREFIX}${s.name}.service`);
    const env = Object.entries(exportedEnv(spec)).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`);
    const lines = [
      '[Unit]',
      `Description=Drift fleet: ${spec.name} (${spec.kind})`,
      `PartOf=${UNIT_PREFIX}fleet.target`,
      ...(before.length ? [`After=${before.join(' ')}`, `Wants=${before.join(' ')}`] : []),
      `StartLimitIntervalSec=${sec(r.windowMs)}`,
      `StartLimitBurst=${r.maxRestarts}`,
      '',
      '[Service]',
      'Type=simple',
      `WorkingDirectory=${spec.cwd}`,
      `ExecStart=${[node, ...NODE_ARGS, spec.entry].join(' ')}`,
      ...env,
      'Restart=on-failure',
      `RestartSec=${sec(r.baseMs)}`,
      `RestartSteps=${Math.max(1, Math.ceil(Math.log(r.capMs / r.baseMs) / Math.log(Math.max(r.factor, 1.01))))}`,
      `RestartMaxDelaySec=${sec(r.capMs)}`,
      'KillSignal=SIGTERM',
      `TimeoutStopSec=${sec(spec.stopTimeoutMs)}`,
      '',
      '[Install]',
      `WantedBy=${UNIT_PREFIX}fleet.target`,
      '',
    ];
    return { path: `${UNIT_PREFIX}${spec.name}.service`, content: lines.join('\n') };
  });
  const target = [
    '[Unit]',
    'Description=Drift trading fleet',
    `Wants=${specs.map((s) => `${UNIT_PREFIX}${s.name}.service`).join(' ')}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return [...files, { path: `${UNIT_PREFIX}fleet.target`, content: target }];
}

function exportK8s(specs: readonly ChildSpec[], config: FleetConfig, opts: ExportOptions): ExportedFile {
  const imageRoot = opts.imageRoot ?? '/app';
  const inImage = (p: string) => `${imageRoot}/${relative(opts.root, p).split('\\').join('/')}`;
  const { heartbeat } = config.orchestrator;
  const namespace = opts.namespace ?? 'drift';
  const docs = specs.map((spec) => {
    const labels = {
      'app.kubernetes.io/name': spec.name,
      'app.kubernetes.io/part-of': 'drift-fleet',
      'drift/kind': spec.kind,
    };
    const env = Object.entries(exportedEnv(spec, inImage)).map(([name, value]) => ({ name, value }));
    const probe = (failureThreshold: number) => ({
      httpGet: { path: '/healthz', port: HEALTH_PORT },
      periodSeconds: Math.max(1, Math.round(heartbeat.intervalMs / 1000)),
      timeoutSeconds: 2,
      failureThreshold,
    });
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: spec.name, namespace, labels },
      spec: {
        replicas: 1,
        // Never two copies of a trader: the old pod stops (cancelling its orders) before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': spec.name } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: Math.ceil(spec.stopTimeoutMs / 1000) + 2,
            containers: [
              {
                name: spec.name,
                image: opts.image ?? 'drift-bots:latest',
                workingDir: `${imageRoot}/apps/orchestrator`,
                // run-one supervises the single app over IPC (ready + heartbeats) and serves /healthz.
                command: ['node', ...NODE_ARGS, 'src/run-one.ts', spec.name],
                env,
                ports: [{ name: 'health', containerPort: HEALTH_PORT }],
                startupProbe: probe(
                  Math.ceil(config.orchestrator.readyTimeoutMs / Math.max(1000, heartbeat.intervalMs)),
                ),
                livenessProbe: probe(
                  Math.max(1, Math.ceil(heartbeat.timeoutMs / Math.max(1000, heartbeat.intervalMs))),
                ),
                readinessProbe: probe(1),
              },
            ],
          },
        },
      },
    };
  });
  return { path: 'drift-fleet.k8s.yaml', content: docs.map((d) => stringify(d)).join('---\n') };
}
