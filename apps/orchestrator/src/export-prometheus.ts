/**
 * Prometheus: `prometheus.yml` (scrapes the orchestrator's /metrics, loads the rules) and
 * `drift-fleet.rules.yml`, the fleet's alerts: an app down, crash-looping, the risk manager halted
 * or reducing, data an app trades on past its freshness bound, stale heartbeats, error lines in the logs, the log directory over what rotation
 * should keep, and the log routine failing or not run. `promtool check rules` accepts the rules;
 * `test/prometheus.test.ts` shows each firing with `promtool test rules`.
 */
import { join } from 'node:path';
import type { FleetConfig } from '@drift/config';
import { LOG_DEFAULTS } from '@drift/logging';
import { stringify } from 'yaml';
import { tokenFilePath } from './api-token.js';
import type { ChildSpec } from './child-spec.js';
import type { ExportedFile, ExportOptions } from './export-spec.js';
import { LOG_ROUTINES } from './log-routine.js';

export const RULES_FILE = 'drift-fleet.rules.yml';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Most the log directory should hold: every app's current file and its rotated ones. */
export function logDirBudgetBytes(appCount: number): number {
  return appCount * LOG_DEFAULTS.maxSize * (LOG_DEFAULTS.maxFiles + 1);
}

export function alertRules(specs: readonly ChildSpec[], config: FleetConfig): object {
  const staleSeconds = Math.ceil(config.orchestrator.heartbeat.timeoutMs / 1000);
  const alert = (
    name: string,
    expr: string,
    forDuration: string,
    severity: 'critical' | 'warning',
    summary: string,
  ) => ({
    alert: name,
    expr,
    ...(forDuration !== '0s' && { for: forDuration }),
    labels: { severity },
    annotations: { summary },
  });
  return {
    groups: [
      {
        name: 'drift-fleet',
        rules: [
          alert(
            'DriftOrchestratorDown',
            'up{job="drift-fleet"} == 0',
            '1m',
            'critical',
            'the orchestrator does not answer /metrics',
          ),
          alert('DriftAppDown', 'drift_app_up == 0', '1m', 'critical', '{{ $labels.app }} is not running'),
          alert(
            'DriftAppCrashLooping',
            'drift_app_crash_looping == 1',
            '0s',
            'critical',
            '{{ $labels.app }} is crash-looping and left down',
          ),
          alert(
            'DriftRiskHalted',
            'drift_fleet_trading_state{state="halted"} == 1',
            '0s',
            'critical',
            'the risk manager halted the fleet: orders cancelled, no new ones',
          ),
          alert(
            'DriftRiskReducing',
            'drift_fleet_trading_state{state="reducing"} == 1',
            '0s',
            'warning',
            'the risk manager lets the fleet only reduce positions',
          ),
          // The app's own verdict on the age of its data (oracle, slot), against risk.staleOracleMs.
          alert(
            'DriftStaleData',
            'drift_app_data_stale == 1',
            '0s',
            'critical',
            '{{ $labels.app }} trades on stale data (oracle or slot older than its bound): it adds no risk',
          ),
          alert(
            'DriftStaleHeartbeat',
            `drift_app_up == 1 and on (app) (time() - drift_app_last_heartbeat_timestamp_seconds) > ${staleSeconds}`,
            '0s',
            'critical',
            `{{ $labels.app }} has not reported for over ${staleSeconds}s`,
          ),
          alert(
            'DriftErrorLines',
            'sum by (app) (increase(drift_app_log_problems_total{level=~"error|fatal"}[5m])) > 5',
            '0s',
            'warning',
            '{{ $labels.app }} logged more than 5 errors in 5 minutes',
          ),
          alert(
            'DriftLogDirTooBig',
            `drift_log_dir_bytes > ${logDirBudgetBytes(specs.length)}`,
            '15m',
            'warning',
            'the log directory holds more than rotation should keep: is retention running?',
          ),
          alert(
            'DriftLogRoutineFailed',
            'drift_log_routine_last_exit_code > 0',
            '0s',
            'warning',
            'the {{ $labels.routine }} log routine exited {{ $value }} (drift-logs: 1 warnings, 2 critical)',
          ),
          ...LOG_ROUTINES.map((r) =>
            alert(
              `DriftLogRoutineMissed${r.name[0]?.toUpperCase()}${r.name.slice(1)}`,
              `time() - drift_log_routine_last_run_timestamp_seconds{routine="${r.name}"} > ${r.maxAgeSeconds}`,
              '0s',
              'warning',
              `the ${r.name} log routine (drift-logs ${r.args.join(' ')}) has not run on schedule`,
            ),
          ),
          // No result at all (a timer never enabled, a textfile nobody collects): the stale rule
          // has no series to judge, so its absence for as long is the same alarm.
          ...LOG_ROUTINES.map((r) =>
            alert(
              `DriftLogRoutineNoResult${r.name[0]?.toUpperCase()}${r.name.slice(1)}`,
              `absent(drift_log_routine_last_run_timestamp_seconds{routine="${r.name}"})`,
              `${r.maxAgeSeconds}s`,
              'warning',
              `no result of the ${r.name} log routine reaches Prometheus (orchestrator /metrics or its textfile)`,
            ),
          ),
        ],
      },
    ],
  };
}

export function exportPrometheus(
  specs: readonly ChildSpec[],
  config: FleetConfig,
  opts: ExportOptions,
): ExportedFile[] {
  const { host, port } = config.orchestrator.api;
  const target = opts.metricsTarget ?? `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const scrape = {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: [join(opts.outDir, RULES_FILE)],
    scrape_configs: [
      {
        job_name: 'drift-fleet',
        metrics_path: '/metrics',
        static_configs: [{ targets: [target] }],
        // Beyond loopback the API wants its token for reads: read from the 0600 file, never inlined.
        ...(!LOOPBACK.has(host) && {
          authorization: { type: 'Bearer', credentials_file: tokenFilePath(opts.root) },
        }),
      },
    ],
  };
  return [
    { path: 'prometheus.yml', content: stringify(scrape) },
    { path: RULES_FILE, content: stringify(alertRules(specs, config)) },
  ];
}
