/**
 * `node dist/log-routine-main.js daily|weekly|monthly`: one run of the log routine (see
 * log-routine.ts) with the built drift-logs CLI, its report on this process's stdout (journald, pm2,
 * the pod's log), its exit code recorded for the metrics and returned. Exit 3 on a bad routine name.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataDir } from '@drift/runtime';
import { routineNamed, writeRoutineResult } from './log-routine.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const routine = routineNamed(process.argv[2] ?? '');
if (!routine) {
  process.stderr.write(
    `log-routine: unknown routine ${JSON.stringify(process.argv[2] ?? '')}: use daily|weekly|monthly\n`,
  );
  process.exit(3);
}
// Built, the built CLI; from source (development), the CLI's source under the same loader.
const built = import.meta.url.endsWith('.js');
const cli = fileURLToPath(
  new URL(`../../../packages/log-tools/${built ? 'dist/cli.js' : 'src/cli.ts'}`, import.meta.url),
);
const started = Date.now();
const child = spawn(process.execPath, [...process.execArgv, cli, ...routine.args, '--root', root], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  const exitCode = code ?? 1;
  writeRoutineResult(dataDir({ root }), {
    routine: routine.name,
    exitCode,
    at: Date.now(),
    durationMs: Date.now() - started,
  });
  process.exit(exitCode);
});
