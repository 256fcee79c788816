// Entry of the drift-logs CLI (root script `pnpm drift-logs <command>`).
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
