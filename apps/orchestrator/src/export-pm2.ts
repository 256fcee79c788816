/**
 * pm2: `ecosystem.config.json`, one app per process running its built JavaScript. pm2 starts the
 * apps in file order (the fleet's) but stops them all at once, so each app is in the namespace of its
 * stage (`drift-sim`, `drift-infrastructure`, `drift-risk`, `drift-bot`) and the fleet is stopped
 * stage by stage, bots first (README). `kill_timeout` is the app's stop budget: SIGINT, then SIGKILL
 * only after the app had its whole budget to cancel its orders and flush its logs. Each app writes
 * its own log file through @drift/logging, so pm2's stdout capture is discarded (stderr is kept by
 * pm2 for what happens before the logger starts). The file holds the apps' env, the secret env
 * vars the config names included: written 0600. The config file stays where it is on the host.
 */
import type { FleetConfig } from '@drift/config';
import { appCommand } from './app-command.js';
import type { ChildSpec } from './child-spec.js';
import type { ExportedFile, ExportOptions } from './export-spec.js';
import { splitEnv } from './export-spec.js';
import { logRoutineApps } from './log-routine.js';

export function pm2Namespace(spec: Pick<ChildSpec, 'kind'>): string {
  return `drift-${spec.kind}`;
}

export function exportPm2(
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  const r = config.orchestrator.restart;
  const logEnv = opts.logDir ? { LOG_DIR: opts.logDir } : {};
  const apps: Record<string, unknown>[] = specs.map((spec) => {
    const cmd = appCommand(spec, opts.nodePath);
    const [script, ...rest] = cmd.args.slice().reverse();
    const { plain, secret } = splitEnv(spec, config, opts);
    return {
      name: spec.name,
      namespace: pm2Namespace(spec),
      script,
      cwd: cmd.cwd,
      interpreter: cmd.node,
      node_args: rest.reverse(),
      env: { ...plain, ...logEnv, ...secret },
      autorestart: true,
      exp_backoff_restart_delay: r.baseMs,
      max_restarts: r.maxRestarts,
      min_uptime: r.minUptimeMs,
      kill_timeout: spec.stopTimeoutMs,
      out_file: '/dev/null',
      merge_logs: true,
    };
  });
  for (const routine of logRoutineApps(opts.root, opts.nodePath)) {
    apps.push({
      name: routine.name,
      namespace: 'drift-logs',
      script: routine.script,
      args: routine.args,
      cwd: opts.root,
      interpreter: routine.node,
      env: { ...logEnv },
      // A one-shot: pm2 runs it at `pm2 start` and again on the schedule, never as a restart loop.
      autorestart: false,
      cron_restart: routine.routine.cron,
      out_file: '/dev/null',
    });
  }
  return [{ path: 'ecosystem.config.json', content: `${JSON.stringify({ apps }, null, 2)}\n`, mode: 0o600 }];
}
