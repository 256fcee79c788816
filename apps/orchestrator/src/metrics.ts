/**
 * Prometheus metrics for the fleet (prom-client, own registry): app state, restarts, uptime,
 * heartbeats, orders, fills, PnL per bot and the age of the data each app trades on (from
 * heartbeats), log warnings/errors per app (from the log
 * feed), the fleet's trading state, and the orchestrator's own process metrics.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Fleet } from './fleet.js';
import { type HostMetricsOptions, registerHostMetrics } from './host-metrics.js';
import type { LogProblem } from './log-feed.js';

export interface FleetMetrics {
  registry: Registry;
  onLogProblem: (problem: LogProblem) => void;
}

const TRADING_STATES = ['active', 'reducing', 'halted'] as const;

/** `host`: where the log files and the log routine's results are (the orchestrator passes them). */
export function createFleetMetrics(fleet: Fleet, host?: HostMetricsOptions): FleetMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'orchestrator_' });
  const labelNames = ['app'] as const;

  const restarts = new Counter({
    name: 'drift_app_restarts_total',
    help: 'Restarts of an app',
    labelNames,
    registers: [registry],
  });
  const heartbeats = new Counter({
    name: 'drift_app_heartbeats_total',
    help: 'Heartbeats received from an app',
    labelNames,
    registers: [registry],
  });
  const logProblems = new Counter({
    name: 'drift_app_log_problems_total',
    help: 'Warnings, errors and fatals in an app log file (seen by the orchestrator)',
    labelNames: ['app', 'level'],
    registers: [registry],
  });
  const orders = new Counter({
    name: 'drift_app_orders_total',
    help: 'Orders placed by the app, summed over its restarts (from heartbeats)',
    labelNames,
    registers: [registry],
  });
  for (const app of fleet.apps) {
    // A heartbeat carries the count since the process started: count the increase, from 0 per process.
    let placedSoFar = 0;
    orders.inc({ app: app.name }, 0);
    app.on('spawn', () => {
      placedSoFar = 0;
    });
    app.on('heartbeat', () => {
      const placed = app.snapshot().status?.ordersPlaced ?? placedSoFar;
      if (placed > placedSoFar) orders.inc({ app: app.name }, placed - placedSoFar);
      placedSoFar = placed;
    });
    restarts.inc({ app: app.name }, 0);
    heartbeats.inc({ app: app.name }, 0);
    for (const level of ['warn', 'error', 'fatal']) logProblems.inc({ app: app.name, level }, 0);
    app.on('restart', () => restarts.inc({ app: app.name }));
    app.on('heartbeat', () => heartbeats.inc({ app: app.name }));
  }

  const gauge = (
    name: string,
    help: string,
    read: (s: ReturnType<Fleet['status']>[number]) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of fleet.status()) {
          const v = read(s);
          if (v !== null) this.set({ app: s.name }, v);
        }
      },
    });

  gauge('drift_app_up', '1 when the app is running (ready and beating)', (s) =>
    s.state === 'running' ? 1 : 0,
  );
  gauge('drift_app_crash_looping', '1 when the app is crash-looping and left down', (s) =>
    s.state === 'crash-looping' ? 1 : 0,
  );
  gauge('drift_app_uptime_seconds', 'Seconds since the app process started', (s) =>
    s.uptimeMs === null ? null : s.uptimeMs / 1000,
  );
  gauge('drift_app_last_heartbeat_timestamp_seconds', 'Time of the last heartbeat', (s) =>
    s.lastHeartbeatAt === null ? null : s.lastHeartbeatAt / 1000,
  );
  gauge(
    'drift_app_orders_placed',
    'Orders placed since the app process started',
    (s) => s.status?.ordersPlaced ?? null,
  );
  gauge('drift_app_open_orders', 'Open orders now', (s) => s.status?.openOrders ?? null);
  gauge('drift_app_fills', 'Fills since the app process started', (s) => s.status?.fills ?? null);
  // A float here is display only: Prometheus samples are float64; the apps keep exact decimals.
  gauge('drift_app_pnl_quote', 'PnL reported by the app, in quote (USDC)', (s) =>
    s.status ? Number(s.status.pnlQuote) : null,
  );

  gauge(
    'drift_app_data_stale',
    '1 while data the app trades on is older than its bound (it adds no risk)',
    (s) => (s.status?.dataStale === undefined ? null : s.status.dataStale ? 1 : 0),
  );
  new Gauge({
    name: 'drift_app_data_age_seconds',
    help: 'Age of each source of data the app trades on (slot, oracle:<market>), by the data own stamps',
    labelNames: ['app', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of fleet.status())
        for (const [source, ms] of Object.entries(s.status?.dataAgeMs ?? {}))
          this.set({ app: s.name, source }, ms / 1000);
    },
  });

  new Gauge({
    name: 'drift_fleet_trading_state',
    help: "1 for the fleet's current trading state (from the risk manager)",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const state of TRADING_STATES) this.set({ state }, fleet.riskVerdict.state === state ? 1 : 0);
    },
  });

  new Gauge({
    name: 'drift_risk_word_age_seconds',
    help: "Age of the risk manager's last word (bots fail closed past risk.failClosed.silenceMs); absent when none since it started",
    registers: [registry],
    collect() {
      this.reset();
      const age = fleet.riskWordAgeMs();
      if (age !== null) this.set(age / 1000);
    },
  });

  if (host) registerHostMetrics(registry, fleet, host);
  return {
    registry,
    onLogProblem: (p) => logProblems.inc({ app: p.app, level: p.level }),
  };
}
