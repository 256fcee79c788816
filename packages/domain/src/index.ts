export * from './data-freshness.js';
export * from './drift-program-errors.js';
export * from './markets.js';
export * from './precision.js';
export * from './risk-limits.js';
export * from './trading.js';
export * from './trading-state.js';
export * from './venue.js';
