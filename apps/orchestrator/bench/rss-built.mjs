// The orchestrator in a process of its own: supervises the fleet given as JSON in argv[2] (fixture
// apps), serves the API, is scraped, reports its RSS on stdout, stops. argv[5] `dist` (default): the
// built JS on plain node (production, no tsx loader thread); `src`: the TypeScript source, as `pnpm
// start` runs it (the caller adds `--conditions=source --import tsx`).
import http from 'node:http';
import { parseFleetConfig } from '@drift/config';
import { closeLogs, setupCriticalLogging } from '@drift/logging';

const [, , configJson, root, simEntry, from = 'dist'] = process.argv;
const ext = from === 'src' ? 'ts' : 'js';
const { buildChildSpecs, Fleet, startApiServer } = await import(`../${from}/index.${ext}`);
const { createFleetMetrics } = await import(`../${from}/metrics.${ext}`);
const config = parseFleetConfig(JSON.parse(configJson));
// The fixture apps are TypeScript only: they run from source (under tsx) whichever way this runs.
const specs = buildChildSpecs(config, {
  root,
  launch: 'source',
  overrides: { sim: { entry: simEntry } },
});
// The real logger of the real process: its file in LOG_DIR (set by the benchmark), no console.
const logger = setupCriticalLogging('orchestrator', { enableConsoleLogging: false });
const fleet = new Fleet(specs, {
  timings: config.orchestrator,
  logger,
  stdio: 'ignore',
});
const api = await startApiServer({
  fleet,
  token: 'bench-token-0123456789',
  registry: createFleetMetrics(fleet).registry,
  logger,
  host: '127.0.0.1',
  port: 0,
});
await fleet.start();
// node:http, not fetch: undici would load ~10 MB into the process we are measuring.
const get = (path) =>
  new Promise((resolve, reject) =>
    http.get(api.url + path, (res) => res.resume().on('end', resolve)).on('error', reject),
  );
for (let i = 0; i < 20; i++) {
  await get('/api/status');
  await get('/metrics');
}
const rss = process.memoryUsage.rss();
await fleet.stop();
await api.close();
await closeLogs();
process.stdout.write(`${JSON.stringify({ rss, apps: specs.length })}\n`);
