/**
 * systemd: `drift-<app>.service` per app and `drift-fleet.target`. Each unit `Requires=` and is
 * `After=` every app of the stages before it (simulator, infrastructure, risk), so systemd starts in
 * the fleet's order, stops in reverse, and stops a bot when the risk manager is stopped: the
 * fail-closed rule holds without the orchestrator. An app's config env and the secret env vars the
 * config names (`DRIFT_RPC_URL`, a webhook's `urlEnv`) go to `drift-<app>.env` (0600,
 * `EnvironmentFile=`), never into the unit. The units read the config file where it is on the host.
 * The log routine comes as one-shot services with timers.
 */
import { ConfigError, type FleetConfig } from '@drift/config';
import { appCommand } from './app-command.js';
import type { ChildSpec } from './child-spec.js';
import { appsBefore, type ExportedFile, type ExportOptions, splitEnv } from './export-spec.js';
import { logRoutineApps } from './log-routine.js';

const PREFIX = 'drift-';
const unitOf = (name: string) => `${PREFIX}${name}.service`;

/** systemd's quoting: one word, `\` and `"` escaped, `%` doubled (it starts a specifier). */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** An EnvironmentFile line: double-quoted, with the characters systemd would interpret escaped. */
function envFileLine(config: FleetConfig, app: string, key: string, value: string): string {
  // The value itself is never echoed: it may be a secret.
  if (/[\r\n]/.test(value)) {
    const field = key in (config.apps[app]?.env ?? {}) ? `apps.${app}.env.${key}` : `env var ${key}`;
    throw new ConfigError(config.source, [
      `${field}: a value with a line break cannot go in a systemd EnvironmentFile`,
    ]);
  }
  return `${key}="${value.replace(/["\\`$]/g, (c) => `\\${c}`)}"`;
}

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}`;

export function exportSystemd(
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  const r = config.orchestrator.restart;
  const files: ExportedFile[] = [];
  const logEnv = opts.logDir ? [`Environment=${quote(`LOG_DIR=${opts.logDir}`)}`] : [];
  for (const spec of specs) {
    const before = appsBefore(spec, specs).map((s) => unitOf(s.name));
    const cmd = appCommand(spec, opts.nodePath);
    const { plain, secret } = splitEnv(spec, config, opts);
    const envFile = `${PREFIX}${spec.name}.env`;
    if (Object.keys(secret).length > 0)
      files.push({
        path: envFile,
        content: `${Object.entries(secret)
          .map(([k, v]) => envFileLine(config, spec.name, k, v))
          .join('\n')}\n`,
        mode: 0o600,
      });
    const lines = [
      `# fleet export systemd: built JavaScript (pnpm build first) on Node 24 (${cmd.node})`,
      '[Unit]',
      `Description=Drift fleet: ${spec.name} (${spec.kind})`,
      `PartOf=${PREFIX}fleet.target`,
      ...(before.length ? [`Requires=${before.join(' ')}`, `After=${before.join(' ')}`] : []),
      `StartLimitIntervalSec=${seconds(r.windowMs)}`,
      `StartLimitBurst=${r.maxRestarts}`,
      '',
      '[Service]',
      'Type=simple',
      `WorkingDirectory=${cmd.cwd}`,
      `ExecStart=${[cmd.node, ...cmd.args].map(quote).join(' ')}`,
      ...Object.entries(plain).map(([k, v]) => `Environment=${quote(`${k}=${v}`)}`),
      ...logEnv,
      ...(Object.keys(secret).length ? [`EnvironmentFile=${opts.outDir}/${envFile}`] : []),
      'Restart=on-failure',
      `RestartSec=${seconds(r.baseMs)}`,
      // systemd >= 254; older versions warn and keep the fixed RestartSec.
      `RestartSteps=${Math.max(1, Math.ceil(Math.log(r.capMs / r.baseMs) / Math.log(Math.max(r.factor, 1.01))))}`,
      `RestartMaxDelaySec=${seconds(r.capMs)}`,
      'KillSignal=SIGTERM',
      `TimeoutStopSec=${seconds(spec.stopTimeoutMs)}`,
      '',
      '[Install]',
      `WantedBy=${PREFIX}fleet.target`,
      '',
    ];
    files.push({ path: unitOf(spec.name), content: lines.join('\n') });
  }
  const timers: string[] = [];
  for (const routine of logRoutineApps(opts.root, opts.nodePath)) {
    files.push({
      path: `${routine.name}.service`,
      content: [
        '[Unit]',
        `Description=Drift fleet log routine: drift-logs ${routine.routine.args.join(' ')}`,
        '',
        '[Service]',
        'Type=oneshot',
        `WorkingDirectory=${opts.root}`,
        `ExecStart=${[routine.node, routine.script, ...routine.args].map(quote).join(' ')}`,
        ...logEnv,
        '',
      ].join('\n'),
    });
    files.push({
      path: `${routine.name}.timer`,
      content: [
        '[Unit]',
        `Description=Drift fleet log routine (${routine.routine.name})`,
        '',
        '[Timer]',
        `OnCalendar=${routine.routine.onCalendar}`,
        'Persistent=true',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    });
    timers.push(`${routine.name}.timer`);
  }
  files.push({
    path: `${PREFIX}fleet.target`,
    content: [
      '[Unit]',
      'Description=Drift trading fleet',
      `Wants=${[...specs.map((s) => unitOf(s.name)), ...timers].join(' ')}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'),
  });
  return files;
}
