/** The session's fleet config: the example `drift-bots.yaml`, adjusted for a fast, isolated run. */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { encodeBase58 } from '@drift/sim';
import { stringify } from 'yaml';
import { exampleConfig, withEdits } from './config-edit.js';
import { ROOT } from './processes.js';

export const BURST_APP = 'log-burst';
export const BURST_DIR = 'packages/e2e/test/fixtures/log-burst';
export const RISK_MANAGER_MAIN = join(ROOT, 'apps/risk-manager/src/main.ts');

export interface SessionSecrets {
  apiKey: string;
  keypairBase58: string;
  keypairArrayPrefix: string;
  token: string;
}

/** A free loopback port (and, with `pair`, the next one free too: rpc-manager's WebSocket port). */
export async function freePort(pair = false): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (
      !pair ||
      (await listenOnce(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** A Solana CLI keypair file (64 bytes: seed + public key) generated now. */
export function writeKeypairFile(path: string): { base58: string; arrayPrefix: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const secret = [...seed, ...pub];
  writeFileSync(path, JSON.stringify(secret), { mode: 0o600 });
  return { base58: encodeBase58(Uint8Array.from(secret)), arrayPrefix: secret.slice(0, 12).join(',') };
}

export interface SessionPorts {
  sim: number;
  proxy: number;
  api: number;
}

export function writeSessionConfig(opts: {
  dir: string;
  ports: SessionPorts;
  upstreamUrl: string;
  secrets: SessionSecrets;
  keypairPath: string;
  speed: number;
}): { path: string; riskManager: boolean } {
  const keyedUrl = `${opts.upstreamUrl}/?api-key=${opts.secrets.apiKey}`;
  const riskManager = existsSync(RISK_MANAGER_MAIN);
  const config = withEdits(exampleConfig(), {
    wallet: { keypairPath: opts.keypairPath },
    'rpc.endpoints': [{ url: keyedUrl }],
    'rpc.proxy.port': opts.ports.proxy,
    'sim.port': opts.ports.sim,
    'sim.speed': opts.speed,
    'sim.swiftOrdersPerMinute': 60,
    'risk.webhooks': [],
    // small, so a crafted loss of a few round trips trips the halt (see the session's craftedLoss)
    'risk.dailyLossLimit': '2000',
    // paper mode pools the simulator's RPC unless DRIFT_RPC_URL says otherwise: point it at the
    // keyed fake upstream on purpose, so the key must stay out of every log and reply.
    // rpc-manager serves live fleets only; the session runs it in paper too, to put it under faults.
    'apps.rpc-manager.modes': ['paper', 'live'],
    'apps.rpc-manager.env': { DRIFT_RPC_URL: keyedUrl },
    'apps.rpc-manager.params.healthCheckMs': 1000,
    'apps.risk-manager.enabled': riskManager,
    // fast-forwarded candles: a first signal within the session
    'apps.trend-bot.params.signal': { type: 'ema-cross', fastPeriod: 3, slowPeriod: 8 },
    'apps.trend-bot.params.atrPeriod': 5,
    [`apps.${BURST_APP}`]: { kind: 'infrastructure', dir: BURST_DIR, env: { BURST_LINES: '50000' } },
    'orchestrator.api': { host: '127.0.0.1', port: opts.ports.api, token: opts.secrets.token },
    'orchestrator.restart': {
      baseMs: 200,
      factor: 2,
      capMs: 2000,
      stableAfterMs: 60000,
      maxRestarts: 8,
      windowMs: 120000,
      minUptimeMs: 500,
    },
    'orchestrator.heartbeat': { intervalMs: 1000, timeoutMs: 20000 },
    'orchestrator.readyTimeoutMs': 60000,
    'orchestrator.stopTimeoutMs': 8000,
  });
  const path = join(opts.dir, 'drift-bots.yaml');
  writeFileSync(path, stringify(config));
  return { path, riskManager };
}
