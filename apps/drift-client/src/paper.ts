/**
 * Paper mode: where the simulated exchange is. The fleet's shared sim server when it answers on
 * `sim.host:sim.port` (the orchestrator started it), otherwise one engine embedded in this process,
 * shared by every venue and taker stream the process creates so a bot's taker orders and its fills
 * happen on the same book.
 */
import type { FleetConfig } from '@drift/config';
import type { LoggerLike } from '@drift/logging';
import { isFleetMember } from '@drift/runtime';
import { engineConfigFromFleet, SimEngine } from '@drift/sim';

export type SimChoice = 'auto' | 'embedded' | 'remote';

/**
 * A member of the fleet (@drift/runtime's `isFleetMember`) uses the fleet's sim server (`auto`). Started
 * alone: always an embedded engine, never a running fleet's server (a second instance would trade
 * the fleet's sub-account).
 */
export const simChoiceFor = (supervised: boolean, env = process.env): SimChoice =>
  isFleetMember(supervised, env) ? 'auto' : 'embedded';

export type SimTarget = { kind: 'remote'; url: string } | { kind: 'embedded'; engine: SimEngine };

const PROBE_TIMEOUT_MS = 500;
/** How long a sim server that is there but slow to answer is waited for before start-up fails. */
const SLOW_SERVER_WAIT_MS = 30_000;

/**
 * What answers on the sim server's address: `up`, `absent` (nothing listens: the connection is
 * refused) or `slow` (something accepted the connection but did not answer within the probe's
 * timeout: a server busy starting, or a loaded machine).
 */
export async function probeSimServer(host: string, port: number): Promise<'up' | 'absent' | 'slow'> {
  try {
    const res = await fetch(`http://${host}:${port}/health`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok ? 'up' : 'slow';
  } catch (err) {
    return err instanceof DOMException && err.name === 'TimeoutError' ? 'slow' : 'absent';
  }
}

/**
 * `auto`: the fleet's server when one is there, an embedded engine when none is. A server that is
 * there but slow is waited for, never replaced by an embedded engine: a bot trading on a simulator
 * of its own while the fleet's exists would trade a phantom book, and its cancel-all at shutdown
 * would leave its orders on the real one (seen under pm2 on a loaded machine).
 */
export async function resolveSim(
  config: FleetConfig,
  choice: SimChoice,
  logger?: LoggerLike,
): Promise<SimTarget> {
  const { host, port } = config.sim;
  const url = `ws://${host}:${port}`;
  if (choice === 'remote') return { kind: 'remote', url };
  if (choice === 'auto') {
    const deadline = Date.now() + SLOW_SERVER_WAIT_MS;
    for (let warned = false; ; warned = true) {
      const probe = await probeSimServer(host, port);
      if (probe === 'up') return { kind: 'remote', url };
      if (probe === 'absent') break;
      if (Date.now() > deadline)
        throw new Error(
          `sim server at ${host}:${port} did not answer /health within ${SLOW_SERVER_WAIT_MS} ms`,
        );
      if (!warned) logger?.warn({ host, port }, 'sim server slow to answer: waiting for it');
    }
  }
  return { kind: 'embedded', engine: embeddedEngine(config, logger) };
}

let shared: { key: string; engine: SimEngine } | undefined;

/**
 * The process's embedded engine for `config` (created on first use, clock running at
 * `sim.speed`). A second call with the same sim settings returns the same engine.
 */
export function embeddedEngine(config: FleetConfig, logger?: LoggerLike): SimEngine {
  const key = JSON.stringify(config.sim, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (shared?.key === key) return shared.engine;
  shared?.engine.stopRealtime();
  // Like the sim server: venue time starts at wall time; the seed still fixes prices and taker flow.
  const engine = new SimEngine(
    engineConfigFromFleet(config.sim, { startTs: Date.now(), markets: config.markets }),
    logger,
  );
  engine.startRealtime(config.sim.speed);
  shared = { key, engine };
  return engine;
}

/** Stops the embedded engine's clock (tests, shutdown). */
export function stopEmbeddedEngine(): void {
  shared?.engine.stopRealtime();
  shared = undefined;
}
