/**
 * The real paper fleet (the example drift-bots.yaml) for the tests that run it under a real
 * supervisor: free loopback ports, logs and state in a temp dir, built JavaScript.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { type ParsedLogLine, parseLogLine } from '@drift/logging';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';

export const PKG = resolve(import.meta.dirname, '..');
export const ROOT = resolve(PKG, '../..');
export const BOTS = { 'jit-mm-swift': 1, 'hedge-bot': 2, 'trend-bot': 3 } as const;
/** The processes of the example fleet in paper mode. */
export const PAPER_APPS = ['sim', 'risk-manager', ...Object.keys(BOTS)];

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export interface PaperConfig {
  file: string;
  simPort: number;
}

/** The example drift-bots.yaml on free ports; `edit` adjusts the parsed YAML before it is written. */
export async function writePaperConfig(
  dir: string,
  edit: (config: { orchestrator: { api: { port: number } } }) => void = () => {},
): Promise<PaperConfig> {
  const config = parse(readFileSync(join(ROOT, 'drift-bots.yaml'), 'utf8'));
  const simPort = await freePort();
  config.sim.port = simPort;
  config.risk.webhooks = [];
  config.orchestrator.api = { host: '127.0.0.1', port: 0, token: 'paper-fleet-test-token-0123456789' };
  config.orchestrator.readyTimeoutMs = 60_000;
  config.orchestrator.heartbeat = { intervalMs: 1000, timeoutMs: 30_000 };
  config.orchestrator.stopTimeoutMs = 8_000;
  edit(config);
  const file = join(dir, 'drift-bots.yaml');
  writeFileSync(file, stringify(config));
  return { file, simPort };
}

/** Environment that keeps the fleet's files in `dir`. */
export function paperEnv(dir: string): Record<string, string> {
  return {
    LOG_DIR: join(dir, 'logs'),
    DRIFT_DATA_DIR: join(dir, 'data'),
    RISK_STATE_FILE: join(dir, 'data', 'risk-state.json'),
    ORCHESTRATOR_TOKEN: '',
  };
}

/**
 * `pnpm build` of what the built paper fleet needs (turbo: cached when nothing changed): every app,
 * as `pnpm start` builds them (the built orchestrator checks the params of every configured app,
 * rpc-manager's too, against its `dist/params.js`), the simulator, and log-tools for the log routine.
 */
export function buildPaperFleet(): void {
  const filters = ['./apps/*', '@drift/sim', '@drift/log-tools'];
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters.map((f) => `--filter=${f}`)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  );
}

export function logLines(dir: string, app: string): ParsedLogLine[] {
  return readFileSync(join(dir, 'logs', `${app}.log`), 'utf8')
    .split('\n')
    .map((l) => parseLogLine(l))
    .filter((l): l is ParsedLogLine => l !== undefined);
}

/** One resting order per bot sub-account, far from the market: each bot's stop must cancel it. */
export async function plantOrders(simPort: number): Promise<{ sub: number; orderId: string }[]> {
  const planted: { sub: number; orderId: string }[] = [];
  for (const sub of Object.values(BOTS)) {
    const order = {
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      price: '75000000', // 75 USDC, half the start price
      baseAmount: '100000000', // 0.1 SOL
      postOnly: true,
      userOrderId: 250,
      clientOrderId: `planted-${sub}`,
    };
    const res = await fetch(`http://127.0.0.1:${simPort}/rpc`, {
      method: 'POST',
      body: JSON.stringify({ id: 1, type: 'place', subAccount: sub, order }),
    });
    const reply = (await res.json()) as {
      ok: boolean;
      result: { ok: boolean; order: { orderId: string; status: string } };
    };
    expect(reply, JSON.stringify(reply)).toMatchObject({
      ok: true,
      result: { ok: true, order: { status: 'open' } },
    });
    planted.push({ sub, orderId: reply.result.order.orderId });
  }
  return planted;
}
