/** Bench child: the pool + proxy in front of the upstream given as argv[2]; prints `{"url": ...}`. */
import { pino } from 'pino';
import { RpcPool } from '../src/pool.js';
import { startProxy } from '../src/proxy/proxy-server.js';

const upstreamUrl = process.argv[2];
if (upstreamUrl === undefined) throw new Error('usage: proxy.ts <upstream url>');
const logger = pino({ level: 'warn' }, pino.destination(2));
const pool = new RpcPool({ endpoints: [{ url: upstreamUrl }], logger, healthCheckMs: 5_000 });
await pool.start();
const proxy = await startProxy({ pool, logger, port: 0, wsPort: false });
process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
// Any line on stdin: reply with this process's CPU time so far (µs), for the per-request cost.
process.stdin.on('data', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => process.exit(0)); // exit normally: lets --cpu-prof (BENCH_PROF) write its profile
