/**
 * `pnpm --filter trend-bot start`: trend following on the oracle's candles. Paper mode (default)
 * trades the shared sim server when the orchestrator runs the fleet, else an embedded simulator.
 * Runs until SIGINT/SIGTERM or the orchestrator's stop.
 */
import { setupCriticalLogging } from '@drift/logging';
import { runBot } from 'bot-runtime';
import { TrendBot } from './bot.js';
import { loadTrendParams } from './params.js';

await runBot({
  app: 'trend-bot',
  setupLogging: setupCriticalLogging,
  loadParams: loadTrendParams,
  markets: (params) => params.markets,
  create: (deps) => new TrendBot(deps),
});
