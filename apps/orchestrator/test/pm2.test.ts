/**
 * pm2, the real one (the `pm2` package, a private PM2_HOME, loopback only): the exported ecosystem
 * file runs the built paper fleet. Every app goes online and writes its own log file in our
 * format (hedge-bot's in JSON, set by its config env, as a log shipper reads it); a SIGKILLed bot
 * is restarted; the fleet stops stage by stage (the namespaces), each bot cancelling its orders
 * within pm2's kill_timeout (no SIGKILL); the log routine runs as a one-shot, writing its textfile.
 * The pm2 daemon is killed at the end whatever happens.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleetConfig } from '@drift/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChildSpecs } from '../src/child-spec.js';
import { exportFleet } from '../src/export-targets.js';
import { rssBytesOf } from '../src/host-metrics.js';
import { isAlive, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import {
  BOTS,
  buildPaperFleet,
  logLines,
  PAPER_APPS,
  PKG,
  paperEnv,
  plantOrders,
  ROOT,
  writePaperConfig,
} from './paper-fleet.js';

const PM2 = join(PKG, 'node_modules/pm2/bin/pm2');
/** pm2 namespaces in stop order; those of the exported fleet (the paper fixture has no infrastructure). */
const STOP_ORDER = ['drift-bot', 'drift-risk', 'drift-infrastructure', 'drift-sim'];
let STAGES: string[] = [];

interface Pm2Process {
  name: string;
  pid: number;
  pm2_env: { status: string; restart_time: number; namespace: string };
}

let dir: string;
let env: NodeJS.ProcessEnv;
let simPort: number;
let killTimeoutMs: Record<string, number> = {};

function pm2(...args: string[]): string {
  return execFileSync(process.execPath, [PM2, ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function jlist(): Pm2Process[] {
  return JSON.parse(pm2('jlist')) as Pm2Process[];
}

const fleetProcesses = () => jlist().filter((p) => PAPER_APPS.includes(p.name));

beforeAll(async () => {
  dir = tempDir('pm2-');
  buildPaperFleet();
  // hedge-bot's file in JSON, as a log shipper reads it: set through its config env like any app's.
  const paper = await writePaperConfig(dir, (config) => {
    (config as unknown as { apps: Record<string, { env?: Record<string, string> }> }).apps['hedge-bot']!.env =
      {
        LOG_FILE_FORMAT: 'json',
      };
  });
  simPort = paper.simPort;
  env = {
    ...process.env,
    ...paperEnv(dir),
    DRIFT_BOTS_CONFIG: paper.file,
    PM2_HOME: join(dir, 'pm2-home'),
    // No pm2.io, no update check: nothing leaves the machine.
    PM2_DISCRETE_MODE: 'true',
    PM2_PROGRAMMATIC: 'true',
  };
  const config = loadFleetConfig({ path: paper.file });
  const specs = buildChildSpecs(config, { root: ROOT, configPath: paper.file });
  const [eco] = exportFleet('pm2', specs, config, { root: ROOT, outDir: dir, logDir: join(dir, 'logs') });
  const ecosystem = JSON.parse(eco!.content) as {
    apps: { name: string; namespace?: string; kill_timeout?: number; cron_restart?: string }[];
  };
  STAGES = STOP_ORDER.filter((ns) => ecosystem.apps.some((a) => a.namespace === ns));
  expect(STAGES).toEqual(['drift-bot', 'drift-risk', 'drift-sim']);
  // The fleet and the daily log routine (the monthly audit reads the whole workspace: too slow here).
  ecosystem.apps = ecosystem.apps.filter(
    (a) => a.name !== 'drift-logs-weekly' && a.name !== 'drift-logs-monthly',
  );
  // Its schedule every 10 s instead of daily, to see pm2's cron start the one-shot again.
  const daily = ecosystem.apps.find((a) => a.name === 'drift-logs-daily')!;
  expect(daily.cron_restart).toBe('0 6 * * *');
  daily.cron_restart = '*/10 * * * * *';
  killTimeoutMs = Object.fromEntries(ecosystem.apps.map((a) => [a.name, a.kill_timeout ?? 0]));
  writeFileSync(join(dir, 'ecosystem.config.json'), JSON.stringify(ecosystem), { mode: eco!.mode });
  pm2('start', join(dir, 'ecosystem.config.json'));
}, 300_000);

afterAll(() => {
  try {
    pm2('kill');
  } catch {
    // already gone
  }
  removeDir(dir);
}, 60_000);

describe('the exported ecosystem under the real pm2', () => {
  it('brings every app online, each writing its own log file in our format (not pm2 stdout capture)', async () => {
    await waitFor(
      () => {
        const online = fleetProcesses().filter((p) => p.pm2_env.status === 'online');
        return (
          online.length === PAPER_APPS.length &&
          PAPER_APPS.every(
            (app) =>
              existsSync(join(dir, 'logs', `${app}.log`)) &&
              logLines(dir, app).some((l) => l.msg === 'ready'),
          )
        );
      },
      120_000,
      'every app online and ready',
      500,
    );
    for (const app of PAPER_APPS) {
      const lines = logLines(dir, app);
      expect(lines.length, app).toBeGreaterThan(0);
      expect(new Set(lines.map((l) => l.app)), app).toEqual(new Set([app]));
    }
    // LOG_FILE_FORMAT=json from the config env: every line of hedge-bot's file is one JSON record
    // with the fields a shipper needs; the others stay compact.
    const rawLines = (app: string) =>
      readFileSync(join(dir, 'logs', `${app}.log`), 'utf8')
        .split('\n')
        .filter(Boolean);
    for (const line of rawLines('hedge-bot'))
      expect(JSON.parse(line)).toMatchObject({
        time: expect.any(Number),
        level: expect.any(Number),
        app: 'hedge-bot',
        msg: expect.any(String),
      });
    expect(rawLines('trend-bot')[0]).toMatch(/^\d{4}-\d\d-\d\d [\d:,]+ \| trend-bot \| /);
    // pm2's own capture of stdout goes nowhere: the app's file is the log.
    const pm2Logs = join(dir, 'pm2-home', 'logs');
    for (const app of PAPER_APPS)
      expect(
        existsSync(join(pm2Logs, `${app}-out.log`)) && statSync(join(pm2Logs, `${app}-out.log`)).size,
      ).toBeFalsy();
    expect(new Set(fleetProcesses().map((p) => p.pm2_env.namespace))).toEqual(new Set(STAGES));
    // Resident memory of each app from built JS: the Kubernetes export's default memory requests.
    const rss = fleetProcesses().map(
      (p) => `${p.name} ${((rssBytesOf(p.pid) ?? 0) / 2 ** 20).toFixed(0)} MB`,
    );
    process.stdout.write(`resident memory, built JS under pm2: ${rss.join(', ')}\n`);
  }, 150_000);

  it('runs the daily log routine as a one-shot on its cron, recording each result for the metrics', async () => {
    const result = join(dir, 'data', 'log-routine', 'daily.json');
    await waitFor(() => existsSync(result), 60_000, 'the daily routine result', 250);
    const recorded = JSON.parse(readFileSync(result, 'utf8'));
    expect(recorded).toMatchObject({ routine: 'daily' });
    expect([0, 1, 2]).toContain(recorded.exitCode);
    // And for node_exporter, the same result as a Prometheus textfile beside it.
    expect(readFileSync(join(dir, 'data', 'log-routine', 'drift_log_routine.prom'), 'utf8')).toContain(
      `drift_log_routine_last_exit_code{routine="daily"} ${recorded.exitCode}`,
    );
    // pm2's cron runs it again (here every 10 s): a new result.
    await waitFor(
      () => JSON.parse(readFileSync(result, 'utf8')).at > recorded.at,
      45_000,
      'the routine run again by cron',
      500,
    );
  }, 90_000);

  it('restarts a SIGKILLed bot', async () => {
    const before = fleetProcesses().find((p) => p.name === 'trend-bot')!;
    process.kill(before.pid, 'SIGKILL');
    const after = await waitFor(
      () => {
        const p = fleetProcesses().find((q) => q.name === 'trend-bot');
        return p &&
          p.pm2_env.status === 'online' &&
          p.pid !== before.pid &&
          p.pm2_env.restart_time > before.pm2_env.restart_time
          ? p
          : undefined;
      },
      60_000,
      'trend-bot restarted',
      250,
    );
    expect(isAlive(after.pid)).toBe(true);
    await waitFor(
      () => logLines(dir, 'trend-bot').filter((l) => l.msg === 'ready').length >= 2,
      60_000,
      'trend-bot ready again',
      250,
    );
  }, 120_000);

  it('stops stage by stage, each bot cancelling its orders within kill_timeout (no SIGKILL)', async () => {
    const planted = await plantOrders(simPort);
    expect(planted).toHaveLength(3);
    const took: Record<string, number> = {};
    const daemonLogFile = join(dir, 'pm2-home', 'pm2.log');
    const daemonLogBefore = readFileSync(daemonLogFile, 'utf8').length;
    for (const stage of STAGES) {
      const started = Date.now();
      pm2('stop', stage);
      took[stage] = Date.now() - started;
    }
    expect(fleetProcesses().every((p) => p.pm2_env.status === 'stopped')).toBe(true);
    for (const bot of Object.keys(BOTS)) {
      const lines = logLines(dir, bot);
      expect(
        lines.filter((l) => l.msg === 'shutdown step failed').map((l) => l.fields),
        bot,
      ).toEqual([]);
      const stopped = lines.filter((l) => l.msg === 'stopped').at(-1);
      expect(String(stopped?.fields.exitCode), bot).toBe('0');
      expect(Number(stopped?.fields.ms), bot).toBeLessThan(killTimeoutMs[bot]!);
    }
    const closed = logLines(dir, 'sim')
      .filter((l) => l.msg === 'sim server closed')
      .at(-1);
    // On failure, each bot's order-management lines from its stop say what it saw and cancelled.
    const stopLines = Object.keys(BOTS).flatMap((bot) =>
      logLines(dir, bot)
        .filter((l) => /cancel|reconcil|stopped|unknown/.test(l.msg))
        .slice(-6)
        .map((l) => `${bot}: ${l.msg} ${JSON.stringify(l.fields)}`),
    );
    expect(closed?.fields.openOrders, stopLines.join('\n')).toEqual({});
    // pm2 escalates to SIGKILL only past kill_timeout ("... still alive after N ms, sending it SIGKILL").
    const stopLog = readFileSync(daemonLogFile, 'utf8').slice(daemonLogBefore);
    expect(stopLog).toMatch(/Stopping app:trend-bot/);
    expect(stopLog).not.toMatch(/SIGKILL/);
    process.stdout.write(`pm2 stop by stage (ms): ${JSON.stringify(took)}\n`);
  }, 120_000);
});
