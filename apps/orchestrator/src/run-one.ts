/**
 * `run-one <app>`: supervises ONE app of the config over the same IPC contract (ready, heartbeats)
 * and serves its health on `GET /healthz` (200 while ready and beating, 503 otherwise) and its
 * readiness on `GET /readyz` (the same, and 503 while the app reports its data stale: a bot on a
 * stalled oracle is alive but not doing its job), for a supervisor that wants HTTP probes (the
 * Kubernetes export). Restarting is left to that supervisor:
 * when the app exits, so does this, with its code. SIGTERM stops the app (SIGKILL after its timeout).
 * A bot hears the risk manager's word as under the orchestrator: relayed from the word file the risk
 * manager rewrites (`DRIFT_RISK_WORD_FILE`, on a volume the pods share), its state included.
 */
import { createServer } from 'node:http';
import { loadFleetConfig } from '@drift/config';
import { setupUtilityLogging } from '@drift/logging';
import { RISK_WORD_FILE_ENV } from '@drift/runtime';
import { builtEntryOf } from './app-command.js';
import { buildChildSpecs, userCwd, workspaceRootFor } from './child-spec.js';
import { HEALTH_PORT } from './export-k8s.js';
import { relayRiskWordFile } from './risk-word-relay.js';
import { SupervisedApp } from './supervised-app.js';

const logger = setupUtilityLogging('run-one');
const name = process.argv[2];
const config = loadFleetConfig({ cwd: userCwd() });
const specs = buildChildSpecs(config, {
  root: workspaceRootFor(config.source),
  configPath: config.source,
});
const found = specs.find((s) => s.name === name);
if (!found) {
  process.stderr.write(
    `run-one: unknown app ${JSON.stringify(name)}: the config has ${specs.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
// Built (production, the container image): the app runs its built JavaScript too.
const spec = import.meta.url.endsWith('.js') ? { ...found, entry: builtEntryOf(found) } : found;
const timings = { ...config.orchestrator, restart: { ...config.orchestrator.restart, maxRestarts: 0 } };
const app = new SupervisedApp(spec, timings, logger);
const port = Number(process.env.DRIFT_HEALTH_PORT ?? HEALTH_PORT);

const server = createServer((req, res) => {
  const s = app.snapshot();
  const fresh =
    s.lastHeartbeatAt !== null && Date.now() - s.lastHeartbeatAt <= config.orchestrator.heartbeat.timeoutMs;
  const alive = s.state === 'running' && fresh;
  const dataStale = s.status?.dataStale === true;
  const ok = req.url === '/healthz' ? alive : req.url === '/readyz' ? alive && !dataStale : false;
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      app: s.name,
      state: s.state,
      lastHeartbeatAt: s.lastHeartbeatAt,
      dataStale,
      ...(s.status?.dataAgeMs && { dataAgeMs: s.status.dataAgeMs }),
    }),
  );
});
server.listen(port, '0.0.0.0');

app.on('exit', ({ code, expected }) => {
  server.close();
  process.exit(expected ? 0 : (code ?? 1) || 1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.stop(signal));
app.start();
const wordFile = spec.env[RISK_WORD_FILE_ENV];
if (spec.kind === 'bot' && wordFile) relayRiskWordFile(wordFile, app, config.failClosed.silenceMs);
