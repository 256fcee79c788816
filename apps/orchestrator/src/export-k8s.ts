/**
 * Kubernetes: `drift-fleet.k8s.yaml` (a Deployment per app, CronJobs for the log routine) and
 * `drift-fleet.secrets.k8s.yaml` (written 0600, apply it first): a `Secret` per app holding its
 * config env and the secret env vars the config names (`DRIFT_RPC_URL`, a webhook's `urlEnv`), and
 * `drift-fleet-config` holding the config file, mounted read-only where `DRIFT_BOTS_CONFIG` points.
 * The config goes in a Secret, not a ConfigMap, because the file may hold secrets itself (an RPC URL
 * with its key, a webhook `url`, the API token); the image holds no config (.dockerignore).
 * Each pod runs `run-one <app>` from built JavaScript on the image's Node 24 (the Dockerfile at
 * the workspace root): it supervises the app over IPC and serves `/healthz` on 8781,
 * 200 only while the app is running AND its last heartbeat is fresh, which the startup and liveness
 * probes read; the readiness probe reads `/readyz`, which is also 503 while the app reports the data
 * it trades on stale (a stalled oracle: alive, so not restarted, but not ready). Memory requests come from the apps' measured resident memory. State
 * survives a pod: each app's data dir (order journal, risk state) is its own PersistentVolumeClaim;
 * the log files go to one shared `drift-logs` claim (ReadWriteMany: an NFS/CephFS-like storage
 * class) that the log routine's CronJobs read too. The risk manager's word file lives on a small
 * shared `drift-fleet` claim (ReadWriteMany), from which each bot's `run-one` relays it: bots fail
 * closed when it stops changing, as under the orchestrator. The log routine's CronJobs keep their
 * results there too (`log-routine/`, with the Prometheus textfile).
 */
import { relative } from 'node:path';
import type { FleetConfig } from '@drift/config';
import { RISK_WORD_FILE_ENV } from '@drift/runtime';
import { stringify } from 'yaml';
import { nodeFlagsFor } from './app-command.js';
import type { ChildSpec } from './child-spec.js';
import { type ExportedFile, type ExportOptions, splitEnv } from './export-spec.js';
import { logRoutineApps } from './log-routine.js';

/** Port of `run-one`'s health endpoint inside a pod. */
export const HEALTH_PORT = 8781;

const MB = 1024 * 1024;
/**
 * Resident memory of each app of the paper fleet from built JavaScript on Node 24, measured under
 * pm2 by `test/pm2.test.ts` (2026-12-07, 2 shared cores): used when the export has no measurement
 * from a running fleet (`fleet export k8s` reads each app's `drift_app_rss_bytes` from the
 * orchestrator first). rpc-manager (live mode) was not measured: the fallback.
 */
export const DEFAULT_RSS_BYTES: Readonly<Record<string, number>> = {
  sim: 111 * MB,
  'risk-manager': 163 * MB,
  'jit-mm-swift': 197 * MB,
  'hedge-bot': 167 * MB,
  'trend-bot': 164 * MB,
};
const FALLBACK_RSS_BYTES = 200 * MB;
/** run-one itself (config, logging, the IPC supervisor; no prom-client): an estimate, not measured. */
const RUN_ONE_RSS_BYTES = 60 * MB;

export function memoryRequest(
  app: string,
  rssBytes?: Readonly<Record<string, number>>,
): {
  requests: string;
  limits: string;
} {
  const rss = rssBytes?.[app] ?? DEFAULT_RSS_BYTES[app] ?? FALLBACK_RSS_BYTES;
  const pod = rss + RUN_ONE_RSS_BYTES;
  // Round up to 16 Mi; the limit leaves room for bursts (a V8 heap grows before it collects).
  const requestMi = Math.ceil(pod / MB / 16) * 16;
  return { requests: `${requestMi}Mi`, limits: `${requestMi * 2}Mi` };
}

const DATA_MOUNT = '/var/lib/drift/data';
const LOG_MOUNT = '/var/lib/drift/logs';
const FLEET_MOUNT = '/var/lib/drift/fleet';
const LOGS_CLAIM = 'drift-logs';
const CONFIG_SECRET = 'drift-fleet-config';
const CONFIG_KEY = 'drift-bots.yaml';
const FLEET_CLAIM = 'drift-fleet';
const VOLUME_ENV = { DRIFT_DATA_DIR: DATA_MOUNT, LOG_DIR: LOG_MOUNT };
/** A log routine's results (and its metrics textfile) on the shared claim: a CronJob pod has no data claim. */
const ROUTINE_ENV = { DRIFT_DATA_DIR: FLEET_MOUNT, LOG_DIR: LOG_MOUNT };
/** The risk manager writes it, every bot's run-one reads it: on the volume they share. */
const RISK_WORD_ENV = { [RISK_WORD_FILE_ENV]: `${FLEET_MOUNT}/risk-word.json` };

function claim(name: string, namespace: string, accessMode: string, storage: string): object {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'drift-fleet' } },
    spec: { accessModes: [accessMode], resources: { requests: { storage } } },
  };
}

export function exportK8s(
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  const imageRoot = opts.imageRoot ?? '/app';
  const inImage = (p: string) => `${imageRoot}/${relative(opts.root, p).split('\\').join('/')}`;
  const { heartbeat } = config.orchestrator;
  const namespace = opts.namespace ?? 'drift';
  const image = opts.image ?? 'drift-bots:latest';
  const runOne = `${imageRoot}/apps/orchestrator/dist/run-one.js`;
  if (opts.configText === undefined)
    throw new Error('fleet export k8s needs the config file text (ExportOptions.configText)');
  const secrets: object[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: CONFIG_SECRET, namespace, labels: { 'app.kubernetes.io/part-of': 'drift-fleet' } },
      type: 'Opaque',
      stringData: { [CONFIG_KEY]: opts.configText },
    },
  ];
  const docs: object[] = specs.map((spec) => {
    const labels = {
      'app.kubernetes.io/name': spec.name,
      'app.kubernetes.io/part-of': 'drift-fleet',
      'drift/kind': spec.kind,
    };
    const { plain, secret } = splitEnv(spec, config, opts, inImage);
    // Where run-one (and the app) read the config, from the Secret: at the config's place in the
    // workspace (its relative paths resolve the same), or at the root for a config kept outside it.
    const inWorkspace = plain.DRIFT_BOTS_CONFIG;
    const configPath =
      inWorkspace && !inWorkspace.includes('/../') ? inWorkspace : `${imageRoot}/${CONFIG_KEY}`;
    const secretName = `${spec.name}-env`;
    if (Object.keys(secret).length > 0)
      secrets.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace, labels },
        type: 'Opaque',
        stringData: secret,
      });
    // A pod's stdout is what log shippers collect on Kubernetes: the console in JSON lines.
    const sharesWord = RISK_WORD_FILE_ENV in plain;
    const env = Object.entries({
      ...plain,
      DRIFT_BOTS_CONFIG: configPath,
      ...VOLUME_ENV,
      ...(sharesWord && RISK_WORD_ENV),
      LOG_FORMAT: 'json',
    }).map(([name, value]) => ({
      name,
      value,
    }));
    const period = Math.max(1, Math.round(heartbeat.intervalMs / 1000));
    const probe = (failureThreshold: number, path = '/healthz') => ({
      httpGet: { path, port: HEALTH_PORT },
      periodSeconds: period,
      timeoutSeconds: 2,
      failureThreshold,
    });
    const memory = memoryRequest(spec.name, opts.rssBytes);
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
                image,
                workingDir: inImage(spec.cwd),
                // run-one supervises the app (its built entry) over IPC and serves /healthz.
                command: ['node', ...nodeFlagsFor(runOne), runOne, spec.name],
                env,
                ...(Object.keys(secret).length > 0 && { envFrom: [{ secretRef: { name: secretName } }] }),
                ports: [{ name: 'health', containerPort: HEALTH_PORT }],
                volumeMounts: [
                  { name: 'config', mountPath: configPath, subPath: CONFIG_KEY, readOnly: true },
                  { name: 'data', mountPath: DATA_MOUNT },
                  { name: 'logs', mountPath: LOG_MOUNT },
                  ...(sharesWord ? [{ name: 'fleet', mountPath: FLEET_MOUNT }] : []),
                ],
                resources: {
                  requests: { cpu: '50m', memory: memory.requests },
                  limits: { memory: memory.limits },
                },
                startupProbe: probe(Math.ceil(config.orchestrator.readyTimeoutMs / 1000 / period)),
                // Fresh: a heartbeat within the fleet's heartbeat timeout, not merely a live process.
                livenessProbe: probe(Math.max(1, Math.ceil(heartbeat.timeoutMs / 1000 / period))),
                // Fresh data too: a bot on a stalled oracle quotes nothing and is not ready.
                readinessProbe: probe(1, '/readyz'),
              },
            ],
            volumes: [
              { name: 'config', secret: { secretName: CONFIG_SECRET } },
              { name: 'data', persistentVolumeClaim: { claimName: `${spec.name}-data` } },
              { name: 'logs', persistentVolumeClaim: { claimName: LOGS_CLAIM } },
              ...(sharesWord ? [{ name: 'fleet', persistentVolumeClaim: { claimName: FLEET_CLAIM } }] : []),
            ],
          },
        },
      },
    };
  });
  const claims = [
    claim(LOGS_CLAIM, namespace, 'ReadWriteMany', '10Gi'),
    claim(FLEET_CLAIM, namespace, 'ReadWriteMany', '16Mi'),
    ...specs.map((s) => claim(`${s.name}-data`, namespace, 'ReadWriteOnce', '1Gi')),
  ];
  docs.unshift(...claims);
  for (const routine of logRoutineApps(imageRoot, 'node')) {
    docs.push({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: routine.name, namespace, labels: { 'app.kubernetes.io/part-of': 'drift-fleet' } },
      spec: {
        schedule: routine.routine.cron,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  {
                    name: routine.name,
                    image,
                    workingDir: imageRoot,
                    command: [routine.node, routine.script, ...routine.args],
                    env: Object.entries(ROUTINE_ENV).map(([name, value]) => ({ name, value })),
                    volumeMounts: [
                      { name: 'logs', mountPath: LOG_MOUNT },
                      { name: 'fleet', mountPath: FLEET_MOUNT },
                    ],
                  },
                ],
                volumes: [
                  { name: 'logs', persistentVolumeClaim: { claimName: LOGS_CLAIM } },
                  { name: 'fleet', persistentVolumeClaim: { claimName: FLEET_CLAIM } },
                ],
              },
            },
          },
        },
      },
    });
  }
  const yaml = (objects: object[]) =>
    objects.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n');
  return [
    { path: 'drift-fleet.k8s.yaml', content: yaml(docs) },
    { path: 'drift-fleet.secrets.k8s.yaml', content: yaml(secrets), mode: 0o600 },
  ];
}
