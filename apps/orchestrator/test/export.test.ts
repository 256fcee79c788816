import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseFleetConfig } from '@drift/config';
import { errorMessage } from '@drift/logging';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { PersistentVolumeClaim, Secret } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { HEALTH_PORT } from '../src/export-k8s.js';
import { type ExportedFile, exportFleet } from '../src/export-targets.js';
import { buildContext } from './build-context.js';
import {
  FIXTURE_DIR,
  fixtureConfig,
  fixtureConfigInput,
  fixtureSpecs,
  ROOT,
  removeDir,
  tempDir,
} from './fleet-fixture.js';
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

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Deployment,
  CronJob,
  PersistentVolumeClaim,
  Secret,
};

/** Validates a manifest object against the Kubernetes schema of its kind. */
function validate(doc: { kind: string }): void {
  const Model = MODELS[doc.kind];
  if (!Model) throw new Error(`no Kubernetes schema loaded for kind ${doc.kind}`);
  new Model(doc as never).validate();
}

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
      env: {},
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
  const files = exportFleet('systemd', specs, config, { root: ROOT, outDir: out, env: {} });
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
    configText: 'mode: paper\n',
    env: {},
  });
  const docsOf = (path: string) =>
    parseAllDocuments(files.find((f) => f.path === path)!.content).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
  const docs = docsOf('drift-fleet.k8s.yaml');
  const secrets = docsOf('drift-fleet.secrets.k8s.yaml');

  it('validates every object against the Kubernetes schemas (kubernetes-models)', () => {
    const kinds = [...docs, ...secrets].map((d) => {
      validate(d);
      return d.kind;
    });
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(4);
    // The config, and the env of each app but the simulator (it has none from the config).
    expect(kinds.filter((k) => k === 'Secret')).toHaveLength(4);
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

  it('gives every pod the config file from a Secret, read-only, where DRIFT_BOTS_CONFIG points', () => {
    const config = secrets.find((s) => s.metadata.name === 'drift-fleet-config');
    expect(config.stringData).toEqual({ 'drift-bots.yaml': 'mode: paper\n' });
    for (const d of docs.filter((d) => d.kind === 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'config', secret: { secretName: 'drift-fleet-config' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'config',
        mountPath: '/app/drift-bots.yaml',
        subPath: 'drift-bots.yaml',
        readOnly: true,
      });
      expect(pod.containers[0].env).toContainEqual({
        name: 'DRIFT_BOTS_CONFIG',
        value: '/app/drift-bots.yaml',
      });
    }
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

describe('fleet export: no secret in clear in an exported file or in the image', () => {
  // Secret-looking values in every place the config can hold or name one.
  const RPC_KEY = 'rpc-key-9c2e41d7';
  const HOOK_TOKEN = 'hook-token-77ab10f3';
  const APP_TOKEN = 'app-token-51f0c2aa';
  const ORCH_TOKEN = 'orch-token-0d4b9e61';
  const SECRETS = [RPC_KEY, HOOK_TOKEN, APP_TOKEN, ORCH_TOKEN];
  // The exporting shell's environment: the fleet started here would run with these.
  const env = {
    DRIFT_RPC_URL: `https://rpc.example/?api-key=${RPC_KEY}`,
    ALERT_HOOK_URL: `https://hooks.example/services/${HOOK_TOKEN}`,
    ORCHESTRATOR_TOKEN: ORCH_TOKEN,
  };
  const input = fixtureConfigInput(
    {
      'risk-manager': { kind: 'risk' },
      'hedge-bot': { kind: 'bot', subAccount: 2 },
    },
    { record: '/tmp/unused.jsonl', risk: { webhooks: [{ format: 'slack', urlEnv: 'ALERT_HOOK_URL' }] } },
  ) as { apps: Record<string, { env: Record<string, string> }> };
  input.apps['hedge-bot']!.env.VENUE_API_TOKEN = APP_TOKEN;
  const configText = stringify(input);
  const secretConfig = parseFleetConfig(configText, '<inline>', { env });
  const secretSpecs = fixtureSpecs(secretConfig, { record: '/tmp/unused.jsonl' });
  const apps = secretSpecs.map((s) => s.name);

  // A workspace as an operator has it: code, the config, an env file, state, logs, keys, and
  // `fleet export`'s output in its default place (deploy/<target>).
  const ws = tempDir('image-');
  afterAll(() => removeDir(ws));
  const put = (path: string, content: string, mode = 0o644) => {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), content, { mode });
  };
  writeFileSync(join(ws, '.dockerignore'), readFileSync(join(ROOT, '.dockerignore')));
  const code = [
    'package.json',
    'pnpm-workspace.yaml',
    'pnpm-lock.yaml',
    'tsconfig.base.json',
    'apps/hedge-bot/package.json',
    'apps/hedge-bot/tsconfig.json',
    'apps/hedge-bot/src/main.ts',
    'apps/drift-client/src/keypair.ts',
    'packages/log-tools/src/logs/records.ts',
  ];
  for (const path of code) put(path, '{}\n');
  put('drift-bots.yaml', configText);
  put('drift-bots.local.yaml', configText);
  put('.env', `DRIFT_RPC_URL=${env.DRIFT_RPC_URL}\n`, 0o600);
  put('.env.production', `ALERT_HOOK_URL=${env.ALERT_HOOK_URL}\n`, 0o600);
  put('apps/hedge-bot/.env', `VENUE_API_TOKEN=${APP_TOKEN}\n`, 0o600);
  put('data/orchestrator/api-token', ORCH_TOKEN, 0o600);
  put('logs/hedge-bot/hedge-bot.log', `{"msg":"${RPC_KEY}"}\n`);
  put('keys/hedge-bot.json', `[${ORCH_TOKEN}]`, 0o600);
  put('apps/hedge-bot/id.json', `[${ORCH_TOKEN}]`, 0o600);
  put('apps/hedge-bot/bot-keypair.json', `[${ORCH_TOKEN}]`, 0o600);
  const exported: { target: string; file: ExportedFile }[] = [];
  for (const target of ['pm2', 'systemd', 'k8s', 'prometheus'] as const) {
    const outDir = join(ws, 'deploy', target);
    for (const file of exportFleet(target, secretSpecs, secretConfig, {
      root: ROOT,
      outDir,
      configText,
      env,
    })) {
      exported.push({ target, file });
      put(`deploy/${target}/${file.path}`, file.content, file.mode ?? 0o644);
    }
  }
  const holding = (text: string) => SECRETS.filter((s) => text.includes(s));

  it('writes each secret only to a 0600 file, and on Kubernetes only inside Secret objects', () => {
    // Every app secret is exported (the check below has something to check)...
    expect(new Set(exported.flatMap(({ file }) => holding(file.content)))).toEqual(
      new Set([RPC_KEY, HOOK_TOKEN, APP_TOKEN]),
    );
    for (const { target, file } of exported) {
      if (holding(file.content).length === 0) continue;
      const where = `${target}/${file.path}`;
      expect(file.mode, where).toBe(0o600);
      expect(statSync(join(ws, 'deploy', target, file.path)).mode & 0o777, where).toBe(0o600);
      if (target === 'k8s')
        for (const doc of parseAllDocuments(file.content).map((d) => d.toJS()))
          if (holding(JSON.stringify(doc)).length) expect(doc.kind, where).toBe('Secret');
    }
    // The orchestrator's own token is no app's: never exported, not even to a 0600 file.
    expect(exported.filter(({ file }) => file.content.includes(ORCH_TOKEN))).toEqual([]);
  });

  it('carries the env vars the config names as secrets to every app, where secrets go', () => {
    const named = { DRIFT_RPC_URL: env.DRIFT_RPC_URL, ALERT_HOOK_URL: env.ALERT_HOOK_URL };
    const fileOf = (target: string, path: string) =>
      exported.find((e) => e.target === target && e.file.path === path)!.file.content;
    const eco = JSON.parse(fileOf('pm2', 'ecosystem.config.json')) as {
      apps: { name: string; env: Record<string, string> }[];
    };
    const k8sSecrets = parseAllDocuments(fileOf('k8s', 'drift-fleet.secrets.k8s.yaml')).map((d) => d.toJS());
    const deployments = parseAllDocuments(fileOf('k8s', 'drift-fleet.k8s.yaml'))
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'Deployment');
    for (const app of apps) {
      expect(eco.apps.find((a) => a.name === app)!.env, app).toMatchObject(named);
      const envFile = fileOf('systemd', `drift-${app}.env`);
      expect(envFile, app).toContain(`DRIFT_RPC_URL="${env.DRIFT_RPC_URL}"`);
      expect(envFile, app).toContain(`ALERT_HOOK_URL="${env.ALERT_HOOK_URL}"`);
      const unit = fileOf('systemd', `drift-${app}.service`);
      expect(unit, app).toContain(`EnvironmentFile=${join(ws, 'deploy/systemd', `drift-${app}.env`)}`);
      expect(k8sSecrets.find((s) => s.metadata.name === `${app}-env`).stringData, app).toMatchObject(named);
      const container = deployments.find((d) => d.metadata.name === app).spec.template.spec.containers[0];
      expect(container.envFrom, app).toEqual([{ secretRef: { name: `${app}-env` } }]);
    }
    // The config reaches the pods whole (it may hold secrets itself), in a Secret.
    const configSecret = k8sSecrets.find((s) => s.metadata.name === 'drift-fleet-config');
    expect(configSecret.stringData['drift-bots.yaml']).toBe(configText);
    for (const doc of [...k8sSecrets, ...deployments]) expect(() => validate(doc)).not.toThrow();
  });

  it('keeps the config, env files, state, logs, keys and exports out of the image (.dockerignore)', () => {
    const context = buildContext(ws);
    expect(context).toEqual(expect.arrayContaining(code));
    expect(context.filter((path) => holding(readFileSync(join(ws, path), 'utf8')).length)).toEqual([]);
    expect(context.filter((p) => !code.includes(p))).toEqual(['.dockerignore']);
    // The check bites: without the .dockerignore, `COPY . .` takes the config and the exports.
    const unguarded = buildContext(ws, []);
    expect(unguarded).toEqual(
      expect.arrayContaining(['drift-bots.yaml', '.env', 'deploy/k8s/drift-fleet.secrets.k8s.yaml']),
    );
  });

  const git = onPath('git');
  const tracked = git ? spawnSync(git, ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }) : undefined;
  const noGit = tracked?.status === 0 ? '' : ' (SKIPPED: git missing or the workspace is not a git checkout)';
  it.skipIf(noGit !== '')(`builds the image from every tracked file but the fleet config${noGit}`, () => {
    const context = new Set(buildContext(ROOT));
    const excluded = tracked!.stdout.split('\0').filter((f) => f && !context.has(f));
    expect(excluded).toEqual(['drift-bots.yaml']);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY \. \.$/m);
  });
});
