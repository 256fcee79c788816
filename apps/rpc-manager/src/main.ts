/**
 * `pnpm --filter rpc-manager start`: the RPC pool behind a loopback JSON-RPC proxy, until SIGTERM.
 * Reports `ready` (with the proxy URLs) to the orchestrator over IPC. Bad config or flags: the
 * problem on stderr and in the log, exit code 2.
 */
import { ConfigError, loadFleetConfig } from '@drift/config';
import { setupCriticalLogging } from '@drift/logging';
import { startApp } from '@drift/runtime';
import { POOL_DEFAULTS, RpcPool } from './pool.js';
import { startProxy } from './proxy/proxy-server.js';
import { paperEndpointsIgnored, parseCliArgs, resolveSettings, SettingsError, USAGE } from './settings.js';
import { SlotFreshness } from './slot-freshness.js';

const logger = setupCriticalLogging('rpc-manager');
const lifecycle = startApp({ appName: 'rpc-manager', logger });

let settings: ReturnType<typeof resolveSettings>;
let staleOracleMs: number;
try {
  const cli = parseCliArgs(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    await lifecycle.shutdown('--help', 0);
  }
  const config = loadFleetConfig(cli.config !== undefined ? { path: cli.config } : {});
  settings = resolveSettings(config, cli);
  staleOracleMs = config.risk.staleOracleMs;
  const ignored = paperEndpointsIgnored(config);
  if (ignored > 0)
    logger.warn({ ignored }, 'paper mode: RPC endpoints off loopback ignored (nothing goes to a network)');
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof SettingsError)) throw err;
  process.stderr.write(`rpc-manager: ${err.message}\n`);
  logger.fatal({ err }, 'rpc-manager cannot start: bad settings');
  await lifecycle.shutdown('bad settings', 2);
  throw err; // not reached: shutdown exits
}

const pool = new RpcPool({ ...settings.pool, endpoints: settings.endpoints, logger });
lifecycle.onShutdown('close the pool', () => pool.close());
await pool.start();

let proxy: Awaited<ReturnType<typeof startProxy>>;
try {
  proxy = await startProxy({
    pool,
    logger,
    host: settings.host,
    port: settings.port,
    relay: settings.relay,
    ...(settings.wsPort !== undefined && { wsPort: settings.wsPort }),
  });
} catch (err) {
  const { code, port } = err as NodeJS.ErrnoException & { port?: number };
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw err;
  const field =
    port === settings.port ? 'rpc.proxy.port' : 'the WebSocket port (rpc.proxy.port + 1, --ws-port)';
  const message = `${field}: ${settings.host}:${port} cannot be listened on (${code})`;
  process.stderr.write(`rpc-manager: ${message}\n`);
  logger.fatal({ err }, `rpc-manager cannot start: ${message}`);
  await lifecycle.shutdown('proxy port unavailable', 2);
  throw err; // not reached: shutdown exits
}
lifecycle.onShutdown('close the proxy', () => proxy.close());

// The fleet's one freshness bound, plus a probe interval: the pool learns the slot once per probe.
const freshness = new SlotFreshness(pool, {
  maxAgeMs: staleOracleMs + (settings.pool.healthCheckMs ?? POOL_DEFAULTS.healthCheckMs),
  logger,
});
const statusTimer = setInterval(() => {
  const { dataAgeMs, dataStale } = freshness.check();
  lifecycle.setStatus({ counters: { ...pool.counters }, dataAgeMs, dataStale });
}, 1_000);
statusTimer.unref();
lifecycle.ready({
  proxy: proxy.url,
  ws: proxy.wsUrl,
  endpoints: pool.status().map((s) => ({ label: s.label, healthy: s.healthy ?? null })),
});
