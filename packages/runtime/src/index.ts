export * from './cli-args.js';
export * from './data-dir.js';
export * from './fail-closed.js';
export * from './failure-streak.js';
export * from './ipc.js';
export * from './lifecycle.js';
export * from './risk-word-file.js';
