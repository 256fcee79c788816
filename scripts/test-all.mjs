#!/usr/bin/env node
// `pnpm test`: lint, typecheck and every package's tests, then one line summed over all
// packages — `tests: N passed, N failed` — from the JSON report each vitest run writes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name))
    : [],
);
const reportOf = (ws) => path.join(ws, '.vitest-report.json');

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

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')
    .find((line) => line.trim()) ?? '';
// vitest 4 records a timed-out test as a bare stack under `Error: STACK_TRACE_ERROR`.
const failureLine = (text) =>
  /STACK_TRACE_ERROR/.test(firstLine(text)) ? 'timed out (vitest records no message)' : firstLine(text);

/** Each failed test (or file) as a line; `unrun`: tests a dead worker left pending. */
function failuresOf(workspace, report) {
  const lines = [];
  let unrun = 0;
  for (const file of report.testResults ?? []) {
    const where = `${workspace}/${path.relative(path.join(root, workspace), file.name)}`;
    const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of tests) lines.push(`${where} > ${t.fullName}: ${failureLine(t.failureMessages?.[0])}`);
    // Tests left pending never ran: the worker running the file died under them.
    const pending = (file.assertionResults ?? []).filter((t) => t.status === 'pending').length;
    if (pending) lines.push(`${where}: ${pending} tests never ran (the test worker died)`);
    unrun += pending;
    if (file.status === 'failed' && tests.length === 0) lines.push(`${where}: ${firstLine(file.message)}`);
  }
  return { lines, unrun };
}

let passed = 0;
let failed = 0;
// The failures again, at the end: turbo's stream interleaves them with thousands of lines,
// and CI keeps only the tail of the output.
const failures = [];
for (const ws of workspaces) {
  if (!fs.existsSync(reportOf(ws))) continue;
  const report = JSON.parse(fs.readFileSync(reportOf(ws), 'utf8'));
  passed += report.numPassedTests ?? 0;
  // A file that fails to load has no failed test, only a failed suite: count it too.
  failed += report.numFailedTests || report.numFailedTestSuites || 0;
  const { lines: found, unrun } = failuresOf(path.relative(root, ws), report);
  failed += unrun;
  // An unhandled error (a worker that died, a rejection after a test) fails the run alone.
  if (report.success === false && found.length === 0) {
    found.push(`${path.relative(root, ws)}: failed outside any test (unhandled error, see above)`);
    failed += 1;
  }
  failures.push(...found);
}
if (failures.length) process.stdout.write(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
const broken = Object.entries(results)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);
if (broken.length) process.stdout.write(`\nfailed steps: ${broken.join(', ')}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(broken.length || failed ? 1 : 0);
