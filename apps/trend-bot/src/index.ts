/** trend-bot's public API: the bot, its rule and indicators, for tools and other processes. */
export { TrendBot, type TrendBotDeps } from './bot.js';
export { Atr, type Candle, CandleBuilder, Ema } from './indicators.js';
export { loadTrendParams, type TrendBotParams, trendParamsSchema } from './params.js';
export { type TrendParams, TrendRule, type TrendSignal } from './rule.js';
export { DonchianBreakout, EmaCross, type EntrySignal, entrySignal, type SignalSpec } from './signals.js';
