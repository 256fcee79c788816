import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exportFleet, HEALTH_PORT } from '../src/export-targets.js';
import { FIXTURE_DIR, fixtureConfig, fixtureSpecs, ROOT } from './fleet-fixture.js';

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

/** systemd unit files: sections of `Key=Value`, repeated keys kept in order. */
function parseIni(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = {};
      out[header[1] as string] = section;
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`not INI: ${line}`);
    const key = line.slice(0, eq);
    section[key] = [...(section[key] ?? []), line.slice(eq + 1)];
  }
  return out;
}

describe('fleet export', () => {
  it('pm2: one app per process with entry, node args, env, restart policy and kill timeout', () => {
    const [file] = exportFleet('pm2', specs, config, { root: ROOT, nodePath: '/usr/bin/node' });
    const eco = JSON.parse(file!.content) as { apps: Record<string, unknown>[] };
    expect(eco.apps.map((a) => a.name)).toEqual(names);
    const bot = eco.apps[3]!;
    expect(bot).toMatchObject({
      script: join(ROOT, FIXTURE_DIR, 'src/main.ts'),
      cwd: join(ROOT, FIXTURE_DIR),
      interpreter: '/usr/bin/node',
      node_args: '--conditions=source --import tsx',
      kill_timeout: 7000,
      max_restarts: 5,
      min_uptime: 500,
      exp_backoff_restart_delay: 100,
      env: { DRIFT_APP_NAME: 'hedge-bot', DRIFT_SUB_ACCOUNT: '2', DRIFT_HEARTBEAT_MS: '100' },
    });
    expect(Object.keys(bot.env as object)).not.toContain('DRIFT_PARENT_PID');
  });

  it('systemd: a unit per app ordered after what it depends on, and a fleet target', () => {
    const files = exportFleet('systemd', specs, config, { root: ROOT, nodePath: '/usr/bin/node' });
    expect(files.map((f) => f.path)).toEqual([
      ...names.map((n) => `drift-${n}.service`),
      'drift-fleet.target',
    ]);
    const units = Object.fromEntries(files.map((f) => [f.path, parseIni(f.content)]));
    const bot = units['drift-hedge-bot.service']!;
    expect(bot.Unit!.After![0]!.split(' ')).toEqual([
      'drift-sim.service',
      'drift-rpc-manager.service',
      'drift-risk-manager.service',
    ]);
    expect(units['drift-sim.service']!.Unit!.After).toBeUndefined();
    expect(bot.Service!.ExecStart).toEqual([
      `/usr/bin/node --conditions=source --import tsx ${join(ROOT, FIXTURE_DIR, 'src/main.ts')}`,
    ]);
    expect(bot.Service!.Environment).toContain('"DRIFT_APP_NAME=hedge-bot"');
    expect(bot.Service).toMatchObject({
      Restart: ['on-failure'],
      TimeoutStopSec: ['7'],
      KillSignal: ['SIGTERM'],
    });
    expect(bot.Unit).toMatchObject({ StartLimitBurst: ['5'], StartLimitIntervalSec: ['60'] });
    expect(bot.Install!.WantedBy).toEqual(['drift-fleet.target']);
    expect(units['drift-fleet.target']!.Unit!.Wants![0]!.split(' ')).toHaveLength(4);
  });

  it('k8s: one Deployment per app with its env, a single replica and health probes', () => {
    const [file] = exportFleet('k8s', specs, config, { root: ROOT, image: 'registry.local/drift:1' });
    const docs = parseAllDocuments(file!.content).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(docs.map((d) => [d.kind, d.metadata.name])).toEqual(names.map((n) => ['Deployment', n]));
    const bot = docs[3];
    expect(bot.spec.replicas).toBe(1);
    expect(bot.spec.strategy.type).toBe('Recreate');
    expect(bot.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'hedge-bot' });
    expect(bot.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('hedge-bot');
    const container = bot.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.local/drift:1');
    expect(container.command).toEqual([
      'node',
      '--conditions=source',
      '--import',
      'tsx',
      'src/run-one.ts',
      'hedge-bot',
    ]);
    expect(container.env).toContainEqual({ name: 'DRIFT_SUB_ACCOUNT', value: '2' });
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
      expect(container[probe].httpGet).toEqual({ path: '/healthz', port: HEALTH_PORT });
    expect(bot.spec.template.spec.terminationGracePeriodSeconds).toBe(9);
  });
});
