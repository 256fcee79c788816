#!/usr/bin/env node
// `pnpm start`: build the fleet (turbo, cached), then run the built orchestrator in the foreground.
// One Node process stands between pnpm and the orchestrator and hands Ctrl-C / SIGTERM on, so that
// a clean stop ends `pnpm start` with exit 0 and nothing but the fleet's own shutdown lines.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

// turbo's own banner is kept out of the way; its output is shown only when the build fails.
process.stdout.write('building the fleet (turbo, cached)\n');
const build = spawnSync('pnpm', ['--silent', '--filter', 'orchestrator', 'run', 'build:fleet'], {
  cwd: root,
  env,
  encoding: 'utf8',
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout}${build.stderr}`);
  process.exit(build.status ?? 1);
}

const orchestrator = spawn(
  process.execPath,
  ['--max-semi-space-size=1', 'apps/orchestrator/dist/main.js', ...process.argv.slice(2)],
  { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
);
const stop = (signal) => orchestrator.kill(signal);

// pnpm 12 reports any run it saw interrupted as failed, however cleanly the script then stops. So in
// a terminal, Ctrl-C must not become a signal: the terminal is put in raw mode (output unchanged:
// libuv keeps newline translation), Ctrl-C arrives here as a byte and is handed to the orchestrator
// as SIGINT. Nothing else reads the keyboard.
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on('data', (keys) => {
    if (keys.includes(0x03) || keys.includes(0x1c)) stop('SIGINT');
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
orchestrator.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 143);
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.destroy();
});
