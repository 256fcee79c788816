export * from './config.js';
export * from './config-fields.js';
export * from './config-schema.js';
export { redactUrl } from './redact.js';
export { formatIssue } from './zod-issues.js';
