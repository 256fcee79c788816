export * from './config.js';
export * from './config-fields.js';
export * from './config-schema.js';
export * from './markets.js';
export * from './precision.js';
export { REDACTED, redactUrl } from './redact.js';
export * from './trading.js';
export * from './venue.js';
