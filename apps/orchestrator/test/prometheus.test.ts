/**
 * Prometheus, the real server (Debian's `prometheus`) and `promtool`: the exported scrape config
 * against the real paper fleet under the built orchestrator, and the exported alert rules checked
 * and shown firing. Skipped loudly when the tools are not installed.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFleetConfig } from '@drift/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildChildSpecs } from '../src/child-spec.js';
import { alertRules, logDirBudgetBytes, RULES_FILE } from '../src/export-prometheus.js';
import { exportFleet } from '../src/export-targets.js';
import { routineMetricsText } from '../src/log-routine.js';
import { fixtureConfig, fixtureSpecs, isAlive, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import { buildPaperFleet, freePort, PAPER_APPS, PKG, paperEnv, writePaperConfig } from './paper-fleet.js';
import { onPath, skipReason } from './tools.js';

const prometheus = onPath('prometheus');
const promtool = onPath('promtool');
const noPrometheus = skipReason(prometheus, 'prometheus', 'prometheus');
const noPromtool = skipReason(promtool, 'promtool', 'prometheus');

describe('alert rules', () => {
  const config = fixtureConfig(
    { 'risk-manager': { kind: 'risk' }, 'hedge-bot': { kind: 'bot', subAccount: 2 } },
    { record: '/tmp/unused.jsonl' },
  );
  const specs = fixtureSpecs(config, { record: '/tmp/unused.jsonl' });
  let dir: string;
  beforeAll(() => {
    dir = tempDir('rules-');
  });
  afterAll(() => removeDir(dir));

  it.skipIf(!promtool)(`are accepted by promtool check rules${noPromtool}`, () => {
    const [, rules] = exportFleet('prometheus', specs, config, { root: '/srv/drift', outDir: dir });
    writeFileSync(join(dir, RULES_FILE), rules!.content);
    const check = spawnSync(promtool!, ['check', 'rules', RULES_FILE], { cwd: dir, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toMatch(/SUCCESS: 16 rules found/);
    expect(check.status).toBe(0);
  });

  it.skipIf(!promtool)(`fire on what they watch, shown by promtool test rules${noPromtool}`, () => {
    const rules = alertRules(specs, config) as {
      groups: { rules: { alert: string; annotations: { summary: string } }[] }[];
    };
    writeFileSync(join(dir, RULES_FILE), stringify(rules));
    const budget = logDirBudgetBytes(specs.length);
    // The summary as Prometheus renders it for these labels (and the series' value, 2).
    const summaryOf = (name: string, labels: Record<string, string>) =>
      rules.groups[0]!.rules.find((r) => r.alert === name)!
        .annotations.summary.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '')
        .replace('{{ $value }}', '2');
    const alert = (name: string, labels: Record<string, string>, evalTime = '10m') => ({
      eval_time: evalTime,
      alertname: name,
      exp_alerts: [{ exp_labels: labels, exp_annotations: { summary: summaryOf(name, labels) } }],
    });
    const tests = {
      rule_files: [RULES_FILE],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'up{job="drift-fleet",instance="o"}', values: '0x12' },
            { series: 'drift_app_up{app="hedge-bot"}', values: '0x12' },
            { series: 'drift_app_up{app="risk-manager"}', values: '1x12' },
            { series: 'drift_app_crash_looping{app="hedge-bot"}', values: '1x12' },
            { series: 'drift_fleet_trading_state{state="halted"}', values: '1x12' },
            { series: 'drift_fleet_trading_state{state="reducing"}', values: '1x12' },
            // hedge-bot's oracle past its bound; trend-bot's data fresh: only hedge-bot alerts.
            { series: 'drift_app_data_stale{app="hedge-bot"}', values: '1x12' },
            { series: 'drift_app_data_stale{app="trend-bot"}', values: '0x12' },
            // risk-manager's last heartbeat stuck at t=0 while it is "up": stale.
            { series: 'drift_app_last_heartbeat_timestamp_seconds{app="risk-manager"}', values: '0x12' },
            { series: 'drift_app_log_problems_total{app="hedge-bot",level="error"}', values: '0+3x12' },
            { series: 'drift_log_dir_bytes', values: `${budget + 1}x30` },
            { series: 'drift_log_routine_last_exit_code{routine="daily"}', values: '2x12' },
            { series: 'drift_log_routine_last_run_timestamp_seconds{routine="monthly"}', values: '0x12' },
          ],
          alert_rule_test: [
            alert('DriftOrchestratorDown', { severity: 'critical', job: 'drift-fleet', instance: 'o' }),
            alert('DriftAppDown', { severity: 'critical', app: 'hedge-bot' }),
            alert('DriftAppCrashLooping', { severity: 'critical', app: 'hedge-bot' }),
            alert('DriftRiskHalted', { severity: 'critical', state: 'halted' }),
            alert('DriftRiskReducing', { severity: 'warning', state: 'reducing' }),
            alert('DriftStaleData', { severity: 'critical', app: 'hedge-bot' }),
            alert('DriftStaleHeartbeat', { severity: 'critical', app: 'risk-manager' }),
            alert('DriftErrorLines', { severity: 'warning', app: 'hedge-bot' }),
            alert('DriftLogDirTooBig', { severity: 'warning' }, '20m'),
            alert('DriftLogRoutineFailed', { severity: 'warning', routine: 'daily' }),
            // 10 minutes after epoch is not 32 days: not missed yet.
            { eval_time: '10m', alertname: 'DriftLogRoutineMissedMonthly', exp_alerts: [] as never[] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'rules.test.yml'), stringify(tests));
    const run = spawnSync(promtool!, ['test', 'rules', 'rules.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
    // The check bites: an alert expected where nothing fires fails the run.
    tests.tests[0]!.alert_rule_test.push(
      alert('DriftAppDown', { severity: 'critical', app: 'risk-manager' }),
    );
    writeFileSync(join(dir, 'rules.test.yml'), stringify(tests));
    const wrong = spawnSync(promtool!, ['test', 'rules', 'rules.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(wrong.status).not.toBe(0);
  });
});

describe('log routine alerts from the textfile (no orchestrator: node_exporter serves it)', () => {
  const config = fixtureConfig(
    { 'hedge-bot': { kind: 'bot', subAccount: 2 } },
    { record: '/tmp/unused.jsonl' },
  );
  const specs = fixtureSpecs(config, { record: '/tmp/unused.jsonl' });
  let dir: string;
  beforeAll(() => {
    dir = tempDir('rules-textfile-');
  });
  afterAll(() => removeDir(dir));

  it.skipIf(!promtool)(`fire on the routine's failure, its missed runs and no result${noPromtool}`, () => {
    const rules = alertRules(specs, config) as {
      groups: { rules: { alert: string; annotations: { summary: string } }[] }[];
    };
    writeFileSync(join(dir, RULES_FILE), stringify(rules));
    // The summary as Prometheus renders it for a daily alert whose value is 2.
    const summaryOf = (name: string) =>
      rules.groups[0]!.rules.find((r) => r.alert === name)!
        .annotations.summary.replace('{{ $labels.routine }}', 'daily')
        .replace('{{ $value }}', '2');
    // The textfile runs write: daily exited 2 at t=0 and never ran again; weekly healthy at t=0.
    const text = routineMetricsText([
      { routine: 'daily', exitCode: 2, at: 0, durationMs: 1 },
      { routine: 'weekly', exitCode: 0, at: 0, durationMs: 1 },
    ]);
    // Each sample as node_exporter's textfile collector serves it (its own job and instance), for
    // 33 days of hourly scrapes.
    const node = { job: 'node', instance: 'host:9100' };
    const input_series = text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const [, name, labels, value] = /^(\w+)\{(.*)\} (\S+)$/.exec(l)!;
        return { series: `${name}{${labels},job="node",instance="host:9100"}`, values: `${value}x800` };
      });
    expect(input_series).toHaveLength(4);
    const firing = (alertname: string, evalTime: string, labels: Record<string, string>[]) => ({
      eval_time: evalTime,
      alertname,
      exp_alerts: labels.map((l) => ({
        exp_labels: { severity: 'warning', ...node, ...l },
        exp_annotations: { summary: summaryOf(alertname) },
      })),
    });
    const tests = {
      rule_files: [RULES_FILE],
      evaluation_interval: '1h',
      tests: [
        {
          interval: '1h',
          input_series,
          alert_rule_test: [
            firing('DriftLogRoutineFailed', '1h', [{ routine: 'daily' }]),
            firing('DriftLogRoutineMissedDaily', '47h', []),
            firing('DriftLogRoutineMissedDaily', '50h', [{ routine: 'daily' }]),
            firing('DriftLogRoutineMissedWeekly', '70h', []),
            // monthly never ran: no series to be stale, so its absence alarms after 32 days.
            firing('DriftLogRoutineNoResultMonthly', '767h', []),
            {
              eval_time: '769h',
              alertname: 'DriftLogRoutineNoResultMonthly',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', routine: 'monthly' },
                  exp_annotations: { summary: summaryOf('DriftLogRoutineNoResultMonthly') },
                },
              ],
            },
            firing('DriftLogRoutineNoResultDaily', '769h', []),
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'rules.test.yml'), stringify(tests));
    const run = spawnSync(promtool!, ['test', 'rules', 'rules.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
  });
});

describe.skipIf(!prometheus)(`the real Prometheus scraping the running paper fleet${noPrometheus}`, () => {
  let dir: string;
  let orchestrator: ChildProcess | undefined;
  let server: ChildProcess | undefined;
  let promUrl: string;

  const query = async (q: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result;
  };

  beforeAll(async () => {
    dir = tempDir('prometheus-');
    buildPaperFleet();
    const apiPort = await freePort();
    const { file } = await writePaperConfig(dir, (c) => {
      c.orchestrator.api.port = apiPort;
    });
    // The built orchestrator, as `pnpm start` runs it.
    let stderr = '';
    orchestrator = fork(join(PKG, 'dist/main.js'), [], {
      cwd: PKG,
      execArgv: [],
      env: { ...process.env, DRIFT_BOTS_CONFIG: file, ...paperEnv(dir) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
    });
    orchestrator.stderr?.on('data', (d) => {
      stderr += d;
    });
    await new Promise<void>((ok, fail) => {
      orchestrator!.on('message', (m: { type?: string }) => m.type === 'ready' && ok());
      orchestrator!.once('exit', (code) => fail(new Error(`orchestrator exited ${code}: ${stderr}`)));
    });

    // What `fleet export prometheus` writes for this config, scraping every second for the test.
    const config = parseFleetConfig(parse(readFileSync(file, 'utf8')));
    const specs = buildChildSpecs(config, { root: join(PKG, '../..'), configPath: file });
    for (const f of exportFleet('prometheus', specs, config, { root: join(PKG, '../..'), outDir: dir })) {
      const content = f.path === 'prometheus.yml' ? fasterScrape(f.content) : f.content;
      writeFileSync(join(dir, f.path), content);
    }
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    server = spawn(
      prometheus!,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok === true,
      30_000,
      'prometheus ready',
      200,
    );
  }, 300_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    if (orchestrator?.pid && isAlive(orchestrator.pid)) {
      orchestrator.kill('SIGTERM');
      await waitFor(() => !isAlive(orchestrator!.pid!), 30_000, 'orchestrator stopped').catch(() =>
        orchestrator?.kill('SIGKILL'),
      );
    }
    removeDir(dir);
  }, 60_000);

  it("has every app's series, each app up, and its resident memory", async () => {
    let up: Awaited<ReturnType<typeof query>> = [];
    await waitFor(
      async () => {
        up = await query('drift_app_up');
        return up.length === PAPER_APPS.length && up.every((r) => r.value[1] === '1');
      },
      60_000,
      'every app up in Prometheus',
      500,
    );
    expect(up.map((r) => r.metric.app).sort()).toEqual([...PAPER_APPS].sort());
    const rss = await query('drift_app_rss_bytes');
    expect(rss.map((r) => r.metric.app).sort()).toEqual([...PAPER_APPS].sort());
    process.stdout.write(
      `resident memory, children of the built orchestrator: ${rss.map((r) => `${r.metric.app} ${(Number(r.value[1]) / 2 ** 20).toFixed(0)} MB`).join(', ')}\n`,
    );
    // Every bot reports the age of its slot and of each oracle it trades on.
    const ages = await query('drift_app_data_age_seconds');
    for (const bot of ['jit-mm-swift', 'hedge-bot', 'trend-bot'])
      expect(ages.filter((r) => r.metric.app === bot).map((r) => r.metric.source)).toEqual(
        expect.arrayContaining(['slot', 'oracle:SOL-PERP']),
      );
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; rules: unknown[] }[] };
    };
    expect(rules.data.groups.map((g) => [g.name, g.rules.length])).toEqual([['drift-fleet', 16]]);
  });

  it('sees an order counter rising', async () => {
    const total = async () => Number((await query('sum(drift_app_orders_total)'))[0]?.value[1] ?? 0);
    const first = await total();
    await waitFor(async () => (await total()) > first, 90_000, 'more orders counted', 500);
    const byApp = await query('drift_app_orders_total > 0');
    expect(byApp.length).toBeGreaterThan(0);
  }, 120_000);
});

function fasterScrape(yaml: string): string {
  const config = parse(yaml);
  config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
  return stringify(config);
}
