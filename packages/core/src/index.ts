export * from './markets.js';
export * from './trading.js';
export * from './venue.js';
