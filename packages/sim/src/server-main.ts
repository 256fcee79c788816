/**
 * The sim server process (paper mode; the orchestrator starts it first):
 * `node --conditions=source --import tsx src/server-main.ts [--config path] [--port n] ...`.
 * Reads the fleet config's `sim` section, serves on loopback, reports `ready` over IPC, and closes
 * cleanly on SIGTERM/SIGINT or the orchestrator's stop.
 */
import { loadFleetConfig } from '@drift/config';
import { readCliArgs, startApp } from '@drift/runtime';
import { parseSimCliArgs, SIM_USAGE } from './cli-args.js';
import { engineConfigFromFleet } from './fleet-config.js';
import { processLogger } from './process-logger.js';
import { startSimServer } from './server.js';

// A bad flag is refused (exit 2, with the usage) before the log file or the server starts.
const args = readCliArgs({ app: 'sim', usage: SIM_USAGE, parse: parseSimCliArgs });
const logger = processLogger('sim');
const app = startApp({ appName: 'sim', logger });

try {
  const fleet = loadFleetConfig(args.config ? { path: args.config } : {});
  const sim = { ...fleet.sim, ...(args.seed !== undefined ? { seed: args.seed } : {}) };
  // Live paper runs start the venue clock at wall time; the seed still fixes prices and taker flow.
  const config = engineConfigFromFleet(sim, { startTs: args.startTs ?? Date.now(), markets: fleet.markets });
  const server = await startSimServer({
    port: args.port ?? sim.port,
    host: args.host ?? sim.host,
    config,
    speed: args.speed ?? sim.speed,
    logger,
  });
  app.onShutdown('close sim server', () => server.close());
  logger.info({ url: server.url, seed: sim.seed, speed: args.speed ?? sim.speed }, 'sim ready');
  app.ready({ url: server.url, port: server.port });
} catch (err) {
  logger.fatal({ err }, 'sim failed to start');
  await app.shutdown('start-up failed', 1);
}
