/**
 * `pnpm fleet <command>`: the fleet CLI over the orchestrator's API.
 *   status                        table of the fleet
 *   start|stop|restart <app>      (token)
 *   reset-halt [--by NAME]        operator reset of the risk halt (token)
 *   export pm2|systemd|k8s|prometheus [--out DIR] [--image IMAGE] [--node PATH]
 *                                 files for another supervisor; k8s memory requests from the running
 *                                 fleet's measured RSS when the orchestrator answers
 * Options: --url URL (default from the config, env ORCHESTRATOR_URL). Token: env ORCHESTRATOR_TOKEN,
 * the config, or the file the orchestrator generated. Exit codes: 0 ok, 1 the API refused, 2 bad usage.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type FleetConfig, loadFleetConfig } from '@drift/config';
import { resolveLogDir } from '@drift/logging';
import { CliUsageError, type FlagValuesOf, parseCommandLine } from '@drift/runtime';
import { readClientToken } from './api-token.js';
import { REQUIRED_NODE_MAJOR } from './app-command.js';
import { formatFillRate, formatLost } from './bot-summary.js';
import { buildChildSpecs, FleetSpecError, userCwd, workspaceRootFor } from './child-spec.js';
import { EXPORT_TARGETS, type ExportTarget, exportFleet } from './export-targets.js';
import type { FleetStatus } from './status.js';

const USAGE = `usage: fleet status | start <app> | stop <app> | restart <app> | reset-halt [--by NAME]
       fleet export pm2|systemd|k8s|prometheus [--out DIR] [--image IMAGE] [--node PATH]
options: --url URL   the orchestrator API (default: orchestrator.api in the config)
         --node PATH node 24 binary the pm2/systemd exports run (default: this one)`;

const OPTIONS = {
  url: { type: 'string' },
  out: { type: 'string' },
  image: { type: 'string' },
  by: { type: 'string' },
  node: { type: 'string' },
} as const;

interface Args {
  command: string;
  positional: string[];
  options: FlagValuesOf<typeof OPTIONS>;
}

export function parseArgs(argv: readonly string[]): Args {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  for (const [key, value] of Object.entries(values))
    if (value === '') throw new CliUsageError(`--${key} needs a value`);
  const command = positionals.shift();
  if (!command) throw new CliUsageError('missing command');
  return { command, positional: positionals, options: values };
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function age(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

export function formatStatus(status: FleetStatus): string {
  const header = [
    'APP',
    'KIND',
    'STATE',
    'PID',
    'UPTIME',
    'RESTARTS',
    'LAST BEAT',
    'TRADING',
    'ORDERS',
    'FILLS',
    'FILL RATE',
    'LOST',
    'FEES PAID',
    'REBATES',
    'NET PNL',
  ];
  const rows = status.apps.map((a) => [
    a.name,
    a.kind,
    a.state,
    a.pid === null ? '-' : String(a.pid),
    age(a.uptimeMs),
    String(a.restarts),
    a.lastHeartbeatAt === null ? '-' : `${age(status.at - a.lastHeartbeatAt)} ago`,
    a.status?.tradingState ?? '-',
    a.status ? String(a.status.ordersPlaced) : '-',
    a.status ? String(a.status.fills) : '-',
    a.summary ? formatFillRate(a.summary.fillRate) : '-',
    a.summary ? formatLost(a.summary) : '-',
    a.summary?.feesPaidQuote ?? '-',
    a.summary?.feesReceivedQuote ?? '-',
    a.status?.pnlQuote ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const risk = `risk: ${status.risk.state}${status.risk.state === 'active' ? '' : ` (${status.risk.reason})`}`;
  return [risk, line(header), ...rows.map(line)].join('\n');
}

async function api(
  url: string,
  path: string,
  init: { method?: 'GET' | 'POST'; token?: string; body?: unknown } = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url + path, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.token && { authorization: `Bearer ${init.token}` }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new Error(`cannot reach the orchestrator at ${url} (is it running? pnpm start)`);
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(`${res.status}: ${json.error ?? res.statusText}`);
  return json;
}

/** Each app's resident memory from a running orchestrator's /metrics, or undefined. */
async function measuredRss(url: string): Promise<Record<string, number> | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const rss: Record<string, number> = {};
    for (const m of (await res.text()).matchAll(/^drift_app_rss_bytes\{app="([^"]+)"\} (\d+)/gm))
      rss[m[1] as string] = Number(m[2]);
    return Object.keys(rss).length > 0 ? rss : undefined;
  } catch {
    return undefined;
  }
}

/** The exports run on the Node the project requires: refuse another major (bad input, exit 2). */
function nodeProblem(nodePath: string): string | undefined {
  const run = spawnSync(nodePath, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const version = run.stdout?.trim() ?? '';
  if (run.status === 0 && Number(version.split('.')[0]) === REQUIRED_NODE_MAJOR) return undefined;
  return `--node ${JSON.stringify(nodePath)}: ${run.status === 0 ? `is Node ${version}` : 'does not run'}; the fleet needs Node ${REQUIRED_NODE_MAJOR}`;
}

function rootOf(config: FleetConfig): string {
  return workspaceRootFor(config.source);
}

export async function runCli(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`fleet: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const usage = (message: string) => {
    process.stderr.write(`fleet: ${message}\n${USAGE}\n`);
    return 2;
  };
  const config = loadFleetConfig({ cwd: userCwd() });
  const { host, port } = config.orchestrator.api;
  const url = (
    args.options.url ??
    process.env.ORCHESTRATOR_URL ??
    `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/$/, '');
  const token = () => readClientToken(config.orchestrator.api.token, rootOf(config));

  switch (args.command) {
    case 'status': {
      if (args.positional.length) return usage(`status takes no argument (got ${args.positional.join(' ')})`);
      out(formatStatus((await api(url, '/api/status')) as FleetStatus));
      return 0;
    }
    case 'start':
    case 'stop':
    case 'restart': {
      const [app, ...rest] = args.positional;
      if (!app || rest.length) return usage(`${args.command} takes exactly one app name`);
      const result = (await api(url, `/api/apps/${encodeURIComponent(app)}/${args.command}`, {
        method: 'POST',
        token: token(),
        body: { by: process.env.USER ?? 'cli' },
      })) as { app: { name: string; state: string } };
      out(`${result.app.name}: ${result.app.state}`);
      return 0;
    }
    case 'reset-halt': {
      if (args.positional.length) return usage('reset-halt takes no argument (use --by NAME)');
      const by = args.options.by ?? process.env.USER ?? 'cli';
      await api(url, '/api/risk/reset', { method: 'POST', token: token(), body: { by } });
      out(`reset requested by ${by}: the risk manager resumes the fleet`);
      return 0;
    }
    case 'export': {
      const [target, ...rest] = args.positional;
      if (!target || rest.length || !EXPORT_TARGETS.includes(target as ExportTarget))
        return usage(
          `export needs one target: ${EXPORT_TARGETS.join('|')} (got ${JSON.stringify(args.positional.join(' '))})`,
        );
      const root = rootOf(config);
      const specs = buildChildSpecs(config, { root, configPath: config.source });
      const dir = resolve(userCwd(), args.options.out ?? join(root, 'deploy', target));
      const image = args.options.image;
      const nodePath = args.options.node;
      const badNode = nodePath && nodeProblem(nodePath);
      if (badNode) return usage(badNode);
      const rssBytes = target === 'k8s' ? await measuredRss(url) : undefined;
      const files = exportFleet(target as ExportTarget, specs, config, {
        root,
        outDir: dir,
        logDir: resolveLogDir(),
        ...(image && { image }),
        ...(nodePath && { nodePath: resolve(nodePath) }),
        ...(rssBytes && { rssBytes }),
        // The pods get the config from a Secret: the file as written (loadFleetConfig just read it).
        ...(target === 'k8s' && { configText: readFileSync(config.source, 'utf8') }),
      });
      mkdirSync(dir, { recursive: true });
      for (const f of files) {
        const path = join(dir, f.path);
        writeFileSync(path, f.content, { mode: f.mode ?? 0o644 });
        chmodSync(path, f.mode ?? 0o644); // an existing file keeps its mode otherwise
        out(`wrote ${path}${f.mode === 0o600 ? ' (0600: holds secrets)' : ''}`);
      }
      if (target === 'k8s')
        out(
          rssBytes
            ? 'memory requests: measured from the running fleet'
            : 'memory requests: defaults (no running fleet answered)',
        );
      return 0;
    }
    default:
      return usage(`unknown command ${JSON.stringify(args.command)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`fleet: ${err.message}\n`);
      // A bad config or fleet spec is bad input (2); anything the API refused is 1.
      process.exit(err instanceof ConfigError || err instanceof FleetSpecError ? 2 : 1);
    },
  );
}
