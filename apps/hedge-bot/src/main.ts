/**
 * `pnpm --filter hedge-bot start`: keeps the fleet's net delta per market inside a band. Paper mode
 * (default) reads the shared sim server when the orchestrator runs the fleet (where the market
 * maker's positions are), else an embedded simulator. Runs until SIGINT/SIGTERM or a stop.
 */
import { setupCriticalLogging } from '@drift/logging';
import { runBot } from 'bot-runtime';
import { HedgeBot } from './bot.js';
import { hedgedMarkets, loadHedgeParams } from './params.js';

await runBot({
  app: 'hedge-bot',
  setupLogging: setupCriticalLogging,
  loadParams: loadHedgeParams,
  markets: hedgedMarkets,
  // The market maker's and the trend bot's positions are what it hedges.
  watchSubAccounts: (params) => params.watchSubAccounts,
  create: (deps) => new HedgeBot(deps),
});
