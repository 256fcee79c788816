/** hedge-bot's public API: the bot and its pure planner, for tools and other processes. */
export { HedgeBot, type HedgeBotDeps } from './bot.js';
export { type HedgeBotParams, hedgeParamsSchema, loadHedgeParams } from './params.js';
export { type HedgeParams, type HedgePlan, planHedge } from './plan.js';
