/**
 * `node dist/log-routine-main.js daily|weekly|monthly`: one run of the log routine (see
 * log-routine.ts) with the built drift-logs CLI, its report on this process's stdout (journald, pm2,
 * the pod's log), its exit code recorded for the metrics (the result file and the Prometheus
 * textfile) and returned. Exit 3 on a bad routine name, 2 on a bad DRIFT_LOG_ROUTINE_TEXTFILE or a
 * textfile that cannot be written (the result would reach no alert).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataDir } from '@drift/runtime';
import {
  RoutineTextfileError,
  readRoutineResults,
  routineNamed,
  routineTextfilePath,
  writeRoutineResult,
  writeRoutineTextfile,
} from './log-routine.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const routine = routineNamed(process.argv[2] ?? '');
if (!routine) {
  process.stderr.write(
    `log-routine: unknown routine ${JSON.stringify(process.argv[2] ?? '')}: use daily|weekly|monthly\n`,
  );
  process.exit(3);
}
const data = dataDir({ root });
let textfile: string;
try {
  textfile = routineTextfilePath(data);
} catch (err) {
  if (!(err instanceof RoutineTextfileError)) throw err;
  process.stderr.write(`log-routine: ${err.message}\n`);
  process.exit(2);
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
  writeRoutineResult(data, {
    routine: routine.name,
    exitCode,
    at: Date.now(),
    durationMs: Date.now() - started,
  });
  try {
    writeRoutineTextfile(textfile, readRoutineResults(data));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    process.stderr.write(`log-routine: cannot write the metrics textfile ${textfile} (${reason})\n`);
    process.exit(Math.max(exitCode, 2));
  }
  process.exit(exitCode);
});
