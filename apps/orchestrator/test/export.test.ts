import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '@drift/logging';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { PersistentVolumeClaim, Secret } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { HEALTH_PORT } from '../src/export-k8s.js';
import { type ExportedFile, exportFleet } from '../src/export-targets.js';
import { FIXTURE_DIR, fixtureConfig, fixtureSpecs, ROOT, removeDir, tempDir } from './fleet-fixture.js';
import { onPath, skipReason } from './tools.js';

const config = fixtureConfig(
  {
    'rpc-manager': { kind: 'infrastructure' },
    'risk-manager': { kind: 'risk' },
    'hedge-bot': { kind: 'bot', subAccount: 2, stopTimeoutMs: 7000 },
  },
  { record: '/tmp/unused.jsonl' },
);
const specs = fixtureSpecs(config, { record: '/tmp/unused.jsonl' });
const names = ['sim', 'rpc-manager', 'risk-manager', 'hedge-bot'];
const BUILT_BOT = join(ROOT, FIXTURE_DIR, 'dist/main.js');
const out = tempDir('export-');
afterAll(() => removeDir(out));

function write(files: ExportedFile[]): void {
  for (const f of files) writeFileSync(join(out, f.path), f.content, { mode: f.mode ?? 0o644 });
}

/** systemd unit files: sections of `Key=Value`, repeated keys kept in order. */
function parseIni(text: string): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = {};
      result[header[1] as string] = section;
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`not INI: ${line}`);
    const key = line.slice(0, eq);
    section[key] = [...(section[key] ?? []), line.slice(eq + 1)];
  }
  return result;
}

describe('fleet export: pm2', () => {
  it('runs each app from its built JavaScript, namespaced by stage, with our stop budget as kill_timeout', () => {
    const [file] = exportFleet('pm2', specs, config, {
      root: ROOT,
      outDir: out,
      nodePath: '/opt/node24/bin/node',
    });
    expect(file!.mode).toBe(0o600); // it holds the apps' env
    const eco = JSON.parse(file!.content) as { apps: Record<string, unknown>[] };
    expect(eco.apps.map((a) => a.name)).toEqual([
      ...names,
      'drift-logs-daily',
      'drift-logs-weekly',
      'drift-logs-monthly',
    ]);
    expect(eco.apps.map((a) => a.namespace)).toEqual([
      'drift-sim',
      'drift-infrastructure',
      'drift-risk',
      'drift-bot',
      'drift-logs',
      'drift-logs',
      'drift-logs',
    ]);
    const bot = eco.apps[3]!;
    expect(bot).toMatchObject({
      script: BUILT_BOT,
      cwd: join(ROOT, FIXTURE_DIR),
      interpreter: '/opt/node24/bin/node',
      node_args: ['--max-semi-space-size=2'],
      kill_timeout: 7000,
      max_restarts: 5,
      min_uptime: 500,
      exp_backoff_restart_delay: 100,
      out_file: '/dev/null',
      env: { DRIFT_APP_NAME: 'hedge-bot', DRIFT_SUB_ACCOUNT: '2', DRIFT_HEARTBEAT_MS: '100' },
    });
    expect(Object.keys(bot.env as object)).not.toContain('DRIFT_PARENT_PID');
    expect(eco.apps[4]).toMatchObject({
      script: join(ROOT, 'apps/orchestrator/dist/log-routine-main.js'),
      args: ['daily'],
      autorestart: false,
      cron_restart: '0 6 * * *',
    });
  });
});

describe('fleet export: systemd', () => {
  const files = exportFleet('systemd', specs, config, { root: ROOT, outDir: out });
  const units = Object.fromEntries(
    files.filter((f) => !f.path.endsWith('.env')).map((f) => [f.path, parseIni(f.content)]),
  );

  it('orders each unit After= and Requires= the stages before it: the risk manager under every bot', () => {
    const bot = units['drift-hedge-bot.service']!;
    const before = ['drift-sim.service', 'drift-rpc-manager.service', 'drift-risk-manager.service'];
    expect(bot.Unit!.After![0]!.split(' ')).toEqual(before);
    expect(bot.Unit!.Requires![0]!.split(' ')).toEqual(before);
    expect(units['drift-risk-manager.service']!.Unit!.Requires![0]!.split(' ')).toEqual(before.slice(0, 2));
    expect(units['drift-sim.service']!.Unit!.After).toBeUndefined();
    expect(bot.Service!.ExecStart).toEqual([
      `"${process.execPath}" "--max-semi-space-size=2" "${BUILT_BOT}"`,
    ]);
    expect(bot.Service).toMatchObject({
      Restart: ['on-failure'],
      TimeoutStopSec: ['7'],
      KillSignal: ['SIGTERM'],
    });
    expect(bot.Unit).toMatchObject({ StartLimitBurst: ['5'], StartLimitIntervalSec: ['60'] });
  });

  it("keeps the config's env out of the units, in a 0600 EnvironmentFile", () => {
    const bot = units['drift-hedge-bot.service']!;
    expect(bot.Service!.EnvironmentFile).toEqual([join(out, 'drift-hedge-bot.env')]);
    expect(bot.Service!.Environment!.join(' ')).not.toContain('FIXTURE_RECORD');
    const envFile = files.find((f) => f.path === 'drift-hedge-bot.env')!;
    expect(envFile.mode).toBe(0o600);
    expect(envFile.content).toBe('FIXTURE=""\nFIXTURE_RECORD="/tmp/unused.jsonl"\n');
  });

  it('refuses an env value with a line break, naming the key and not the value', () => {
    const broken = fixtureConfig(
      { 'hedge-bot': { kind: 'bot', subAccount: 2 } },
      { record: 'secret-part-1\nsecret-part-2' },
    );
    const brokenSpecs = fixtureSpecs(broken, { record: '/tmp/unused.jsonl' });
    expect(() => exportFleet('systemd', brokenSpecs, broken, { root: ROOT, outDir: out })).toThrow(
      /apps\.hedge-bot\.env\.FIXTURE_RECORD: a value with a line break cannot go in a systemd EnvironmentFile/,
    );
    try {
      exportFleet('systemd', brokenSpecs, broken, { root: ROOT, outDir: out });
    } catch (err) {
      expect(errorMessage(err)).not.toContain('secret-part');
    }
  });

  it('schedules the log routine as timers', () => {
    expect(units['drift-logs-weekly.timer']!.Timer!.OnCalendar).toEqual(['Mon *-*-* 06:30:00 UTC']);
    expect(units['drift-logs-weekly.service']!.Service!.Type).toEqual(['oneshot']);
    expect(units['drift-fleet.target']!.Unit!.Wants![0]!.split(' ')).toContain('drift-logs-monthly.timer');
  });

  const analyze = onPath('systemd-analyze');
  it.skipIf(!analyze)(
    `passes systemd-analyze verify${skipReason(analyze, 'systemd-analyze', 'systemd')}`,
    () => {
      write(files);
      const verify = (paths: string[]) =>
        spawnSync(analyze!, ['verify', '--man=no', ...paths], { cwd: out, encoding: 'utf8' });
      const unitFiles = files.map((f) => f.path).filter((p) => !p.endsWith('.env'));
      const result = verify(unitFiles);
      const version = Number(
        /systemd (\d+)/.exec(execFileSync(analyze!, ['--version'], { encoding: 'utf8' }))?.[1],
      );
      // RestartSteps/RestartMaxDelaySec (exponential backoff) arrived in systemd 254; older ones ignore them.
      const problems = result.stderr
        .split('\n')
        .filter((l) => l.trim() !== '')
        .filter((l) => !(version < 254 && /Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(l)));
      expect(problems).toEqual([]);
      expect(result.status).toBe(0);
      // The verifier bites: a unit whose program is not an absolute path is refused.
      writeFileSync(
        join(out, 'drift-broken.service'),
        '[Service]\nExecStart=node dist/main.js\nRestart=sometimes\n',
      );
      const broken = verify(['drift-broken.service']);
      expect(broken.stderr).toMatch(/Failed to parse service restart specifier|Restart/);
    },
  );
});

describe('fleet export: Kubernetes', () => {
  const files = exportFleet('k8s', specs, config, {
    root: ROOT,
    outDir: out,
    image: 'registry.local/drift:1',
    rssBytes: { 'hedge-bot': 100 * 1024 * 1024 },
  });
  const docsOf = (path: string) =>
    parseAllDocuments(files.find((f) => f.path === path)!.content).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
  const docs = docsOf('drift-fleet.k8s.yaml');
  const secrets = docsOf('drift-fleet.secrets.k8s.yaml');

  it('validates every object against the Kubernetes schemas (kubernetes-models)', () => {
    const models: Record<string, new (o: never) => { validate(): void }> = {
      Deployment,
      CronJob,
      PersistentVolumeClaim,
      Secret,
    };
    const kinds = [...docs, ...secrets].map((d) => {
      const Model = models[d.kind];
      expect(Model, d.kind).toBeDefined();
      new Model!(d as never).validate();
      return d.kind;
    });
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'CronJob')).toHaveLength(3);
    // The validator bites: a port that is not a number is refused.
    const bad = structuredClone(docs.find((d) => d.kind === 'Deployment'));
    bad.spec.template.spec.containers[0].ports[0].containerPort = 'health';
    expect(() => new Deployment(bad).validate()).toThrow(/containerPort must be integer/);
  });

  it("puts each app's config env in a Secret (0600 file), never in a value: field", () => {
    expect(files.find((f) => f.path === 'drift-fleet.secrets.k8s.yaml')!.mode).toBe(0o600);
    const botSecret = secrets.find((s) => s.metadata.name === 'hedge-bot-env');
    expect(botSecret.stringData).toEqual({ FIXTURE: '', FIXTURE_RECORD: '/tmp/unused.jsonl' });
    const bot = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'hedge-bot');
    const container = bot.spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: 'hedge-bot-env' } }]);
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain('FIXTURE_RECORD');
    expect(JSON.stringify(bot)).not.toContain('/tmp/unused.jsonl');
  });

  it('runs built JS on Node, probes the fresh-heartbeat health endpoint, requests measured memory', () => {
    const bot = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'hedge-bot');
    expect(bot.spec.replicas).toBe(1);
    expect(bot.spec.strategy.type).toBe('Recreate');
    const container = bot.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.local/drift:1');
    expect(container.command).toEqual([
      'node',
      '--max-semi-space-size=2',
      '/app/apps/orchestrator/dist/run-one.js',
      'hedge-bot',
    ]);
    expect(container.command.join(' ')).not.toContain('tsx');
    for (const probe of ['startupProbe', 'livenessProbe'])
      expect(container[probe].httpGet).toEqual({ path: '/healthz', port: HEALTH_PORT });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: HEALTH_PORT });
    // 100 MiB measured + run-one's 60 MiB, rounded up to 16 MiB.
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '160Mi' },
      limits: { memory: '320Mi' },
    });
    expect(container.env).toContainEqual({ name: 'LOG_FORMAT', value: 'json' });
    expect(bot.spec.template.spec.terminationGracePeriodSeconds).toBe(9);
    expect(bot.spec.template.spec.volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'hedge-bot-data' },
    });
    // Every CronJob reads the logs and keeps its result on claims, never on the pod's own disk.
    for (const job of docs.filter((d) => d.kind === 'CronJob')) {
      const pod = job.spec.jobTemplate.spec.template.spec;
      const claimOf = (name: string) =>
        pod.volumes.find((v: { name: string }) => v.name === name)?.persistentVolumeClaim?.claimName;
      for (const variable of ['DRIFT_DATA_DIR', 'LOG_DIR']) {
        const dir = pod.containers[0].env.find((e: { name: string }) => e.name === variable)?.value;
        const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) =>
          `${dir}/`.startsWith(`${m.mountPath}/`),
        );
        expect(mount && claimOf(mount.name), `${job.metadata.name} ${variable}=${dir}`).toBeTruthy();
      }
    }
    const monthly = docs.find((d) => d.kind === 'CronJob' && d.metadata.name === 'drift-logs-monthly');
    expect(monthly.spec.schedule).toBe('0 7 1 * *');
    expect(monthly.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual([
      'node',
      '/app/apps/orchestrator/dist/log-routine-main.js',
      'monthly',
    ]);
  });

  it('shares the risk word between the risk manager and the bots on one ReadWriteMany claim', () => {
    const fleetClaim = docs.find(
      (d) => d.kind === 'PersistentVolumeClaim' && d.metadata.name === 'drift-fleet',
    );
    expect(fleetClaim.spec.accessModes).toEqual(['ReadWriteMany']);
    const word = { name: 'DRIFT_RISK_WORD_FILE', value: '/var/lib/drift/fleet/risk-word.json' };
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    const sharing = deployments.filter((d) => ['risk', 'bot'].includes(d.metadata.labels['drift/kind']));
    expect(sharing.map((d) => d.metadata.labels['drift/kind'])).toEqual(
      expect.arrayContaining(['risk', 'bot']),
    );
    for (const deployment of sharing) {
      const app = deployment.metadata.name;
      const pod = deployment.spec.template.spec;
      expect(pod.containers[0].env, app).toContainEqual(word);
      expect(pod.containers[0].volumeMounts, app).toContainEqual({
        name: 'fleet',
        mountPath: '/var/lib/drift/fleet',
      });
      expect(pod.volumes, app).toContainEqual({
        name: 'fleet',
        persistentVolumeClaim: { claimName: 'drift-fleet' },
      });
    }
    for (const other of deployments.filter((d) => !sharing.includes(d)))
      expect(other.spec.template.spec.containers[0].env).not.toContainEqual(word);
  });

  it('ships a container image recipe that builds the workspace and runs the built JS on Node 24', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${rootPkg.devDependencies.node}-`, 'm'));
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/pnpm build/);
    expect(dockerfile).not.toMatch(/tsx/);
  });
});
