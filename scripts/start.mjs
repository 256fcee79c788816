#!/usr/bin/env node
// `pnpm start`: until the orchestrator runs the fleet, a demo of the shared logger.
import { spawnSync } from 'node:child_process';

const res = spawnSync('pnpm', ['--filter', '@drift/logging', 'demo'], { stdio: 'inherit' });
process.exit(res.status ?? 1);
