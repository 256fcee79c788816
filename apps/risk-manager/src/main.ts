/**
 * risk-manager: watches every sub-account of the fleet, drives the trading state and is the
 * fleet's kill switch. Alone (`pnpm --filter risk-manager start`) it runs on the embedded
 * simulator in paper mode; under the orchestrator it reports `risk-state` over IPC, and after every
 * evaluation it rewrites `<data>/risk-word.json` for bots under another supervisor.
 */
import { loadFleetConfig, parseAppParams, venueSpeed } from '@drift/config';
import { ACCOUNT_SOURCE, DataFreshness, oracleSource, type TradingStateName } from '@drift/domain';
import { setupCriticalLogging } from '@drift/logging';
import {
  noOptionsUsage,
  RISK_WORD_FILE_ENV,
  readCliArgs,
  riskWordFilePath,
  startApp,
  writeRiskWord,
} from '@drift/runtime';
import { openVenue } from 'drift-client';
import { AlertDispatcher } from './alerts.js';
import { RiskMonitor } from './monitor.js';
import { riskManagerParamsSchema } from './params.js';
import { checkRiskConfig } from './risk-config.js';
import { riskStatePath } from './state-path.js';
import { loadRiskState } from './state-store.js';

const APP = 'risk-manager';
// Configured by the fleet config alone (resets: src/reset-cli.ts): any argument is refused first.
readCliArgs({ app: APP, usage: noOptionsUsage(APP) });
const logger = setupCriticalLogging(APP);
const lifecycle = startApp({ appName: APP, logger });

try {
  const config = loadFleetConfig();
  checkRiskConfig(config);
  const params = parseAppParams(config, APP, riskManagerParamsSchema);
  const statePath = riskStatePath();
  const persistedBy = () => (loadRiskState(statePath)?.by ?? APP).slice(0, 200);

  const venue = await openVenue(lifecycle, config, { logger, appName: APP, subAccounts: 'all' });

  // The same word as a file, for bots under a supervisor without our IPC (pm2, systemd exports).
  const wordFile = process.env[RISK_WORD_FILE_ENV] || riskWordFilePath();
  const speak = (state: TradingStateName, reason: string) => {
    try {
      writeRiskWord(wordFile, { state, reason, at: Date.now() });
    } catch (err) {
      logger.warn({ err, wordFile }, 'could not write the risk word file: bots that read it fail closed');
    }
  };

  const alerts = new AlertDispatcher(config.risk.webhooks, logger);
  if (config.risk.webhooks.length === 0)
    logger.info({}, 'no alert webhooks configured: state changes are logged only');

  // The age of what the limits are judged on, for the status (a stale oracle is also a breach).
  const freshness = new DataFreshness({
    maxAgeMs: config.risk.staleOracleMs,
    sources: [...Object.keys(config.risk.maxPositionBase).map(oracleSource), ACCOUNT_SOURCE],
    speed: venueSpeed(config),
  });
  const monitor = new RiskMonitor({
    venue,
    freshness,
    limits: config.risk,
    statePath,
    alerts,
    logger,
    dayStartUtcHour: params.dayStartUtcHour,
    onStateChange: (change) => {
      speak(change.state, change.reason);
      lifecycle.send({
        type: 'risk-state',
        state: change.state,
        reason: change.reason,
        breaches: change.breaches,
        ts: Date.now(),
        // Who caused it, as just persisted: risk-manager for a breach, the operator for a reset/halt.
        by: persistedBy(),
      });
      lifecycle.setTradingState(change.state, change.reason);
    },
    // Every completed evaluation is the fleet's fresh word: silence makes the bots fail closed.
    onEvaluated: (verdict) => {
      speak(verdict.state, verdict.reason);
      lifecycle.send({ type: 'risk-state', ...verdict, by: verdict.by.slice(0, 200), ts: Date.now() });
    },
  });
  // The orchestrator's API: `resume` is an operator reset, `halt` an operator halt, by whom it says.
  lifecycle.onTradingState((state, reason, by = 'orchestrator') => {
    if (state === monitor.state) return;
    if (state === 'active') monitor.reset(by, reason);
    else if (state === 'halted') void monitor.halt(by, reason);
  });
  if (monitor.state !== 'active') {
    lifecycle.setTradingState(monitor.state, 'restored from the state file');
    lifecycle.send({
      type: 'risk-state',
      state: monitor.state,
      reason: 'restored from the state file',
      breaches: [],
      ts: Date.now(),
    });
  }

  monitor.start(params.pollIntervalMs);
  lifecycle.onShutdown('stop monitor', async () => {
    await monitor.stop();
    await alerts.idle();
  });
  const heartbeat = setInterval(() => {
    const { dataAgeMs, dataStale } = freshness.report();
    lifecycle.setStatus({ counters: { breaches: monitor.currentBreaches.length }, dataAgeMs, dataStale });
  }, params.pollIntervalMs);
  lifecycle.onShutdown('stop status', () => clearInterval(heartbeat));

  lifecycle.ready({
    statePath,
    mode: config.mode,
    state: monitor.state,
    pollIntervalMs: params.pollIntervalMs,
  });
  logger.info({ statePath, mode: config.mode, state: monitor.state }, 'risk-manager running');
} catch (err) {
  logger.fatal({ err }, 'risk-manager failed to start');
  await lifecycle.shutdown('start-up failed', 1);
}
