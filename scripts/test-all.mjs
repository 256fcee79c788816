#!/usr/bin/env node
// `pnpm test`: lint, typecheck and every package's tests, then one line summed over all
// packages — `tests: N passed, N failed` (`, N skipped` when some did not run) — from the JSON
// report each vitest run writes (scripts/test-summary.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { printSummary, reportOf, root, summarize, workspaces } from './test-summary.mjs';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

function step(name, cmd, args) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  return res.status === 0;
}

for (const ws of workspaces) fs.rmSync(reportOf(ws), { force: true });

const results = {
  lint: step('lint', 'pnpm', ['exec', 'turbo', 'run', 'lint', 'lint:root', '--output-logs=errors-only']),
  typecheck: step('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']),
  tests: step('tests', 'pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1']),
};

const broken = Object.entries(results)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);
process.exit(printSummary(summarize(), broken));
