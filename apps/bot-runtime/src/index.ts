/**
 * bot-runtime's public API: the `Bot` contract every bot implements and `runBot`, the one runtime
 * that runs it (venue, order flow, risk following, freshness, heartbeats, shutdown with cancel-all).
 */
export type { Bot, BotDeps, BotStatus } from './bot.js';
export { type HeartbeatStatus, heartbeatStatus } from './heartbeat-status.js';
export { type RunBotOptions, runBot } from './run-bot.js';
export { startTickLoop, type TickLoop } from './tick-loop.js';
