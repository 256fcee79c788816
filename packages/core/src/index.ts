export * from './markets.js';
export * from './precision.js';
export * from './trading.js';
export * from './venue.js';
