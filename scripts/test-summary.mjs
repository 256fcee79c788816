#!/usr/bin/env node
// The end of `pnpm test` (scripts/test-all.mjs): the JSON report each package's vitest run wrote,
// summed over all packages into one last line — `tests: N passed, N failed`, with `, N skipped`
// when some tests did not run by design (`it.skipIf`: a tool or the Drift program missing) — after
// the failures and the skipped tests, one line each: turbo's stream interleaves them with
// thousands of lines, and CI keeps only the tail of the output.
// Alone, `node scripts/test-summary.mjs` summarizes the reports the last test runs left.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '..');
export const workspaces = ['packages', 'apps'].flatMap((dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name))
    : [],
);
export const reportOf = (ws) => path.join(ws, '.vitest-report.json');

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')
    .find((line) => line.trim()) ?? '';
// vitest 4 records a timed-out test as a bare stack under `Error: STACK_TRACE_ERROR`.
const failureLine = (text) =>
  /STACK_TRACE_ERROR/.test(firstLine(text)) ? 'timed out (vitest records no message)' : firstLine(text);

/**
 * Each failed test (or file) as a line; `unrun`: tests a dead worker left pending; `skipped`: each
 * test skipped by design (vitest's `skipped`, and `todo`), its title carrying the reason.
 */
function resultsOf(workspace, report) {
  const lines = [];
  const skipped = [];
  let unrun = 0;
  for (const file of report.testResults ?? []) {
    const where = `${workspace}/${path.relative(path.join(root, workspace), file.name)}`;
    const tests = file.assertionResults ?? [];
    const failedTests = tests.filter((t) => t.status === 'failed');
    for (const t of failedTests)
      lines.push(`${where} > ${t.fullName}: ${failureLine(t.failureMessages?.[0])}`);
    // Tests left pending never ran: the worker running the file died under them.
    const pending = tests.filter((t) => t.status === 'pending').length;
    if (pending) lines.push(`${where}: ${pending} tests never ran (the test worker died)`);
    unrun += pending;
    if (file.status === 'failed' && failedTests.length === 0)
      lines.push(`${where}: ${firstLine(file.message)}`);
    for (const t of tests) {
      if (t.status === 'skipped') skipped.push(`${where} > ${t.fullName}`);
      if (t.status === 'todo') skipped.push(`${where} > ${t.fullName} (todo)`);
    }
  }
  return { lines, unrun, skipped };
}

/** Sums every package's report; a package without one (it did not run) adds nothing. */
export function summarize() {
  let passed = 0;
  let failed = 0;
  const failures = [];
  const skipped = [];
  for (const ws of workspaces) {
    if (!fs.existsSync(reportOf(ws))) continue;
    const report = JSON.parse(fs.readFileSync(reportOf(ws), 'utf8'));
    passed += report.numPassedTests ?? 0;
    // A file that fails to load has no failed test, only a failed suite: count it too.
    failed += report.numFailedTests || report.numFailedTestSuites || 0;
    const found = resultsOf(path.relative(root, ws), report);
    failed += found.unrun;
    // An unhandled error (a worker that died, a rejection after a test) fails the run alone.
    if (report.success === false && found.lines.length === 0) {
      found.lines.push(`${path.relative(root, ws)}: failed outside any test (unhandled error, see above)`);
      failed += 1;
    }
    failures.push(...found.lines);
    skipped.push(...found.skipped);
  }
  return { passed, failed, failures, skipped };
}

/** Writes the summary, the `tests:` line last; returns the exit code. */
export function printSummary({ passed, failed, failures, skipped }, brokenSteps = []) {
  const list = (title, lines) =>
    lines.length
      ? process.stdout.write(`\n${title}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`)
      : undefined;
  list('skipped', skipped);
  list('failed', failures);
  if (brokenSteps.length) process.stdout.write(`\nfailed steps: ${brokenSteps.join(', ')}\n`);
  const skips = skipped.length ? `, ${skipped.length} skipped` : '';
  process.stdout.write(`tests: ${passed} passed, ${failed} failed${skips}\n`);
  return brokenSteps.length || failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exit(printSummary(summarize()));
}
