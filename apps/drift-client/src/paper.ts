/**
 * Paper mode: where the simulated exchange is. The fleet's shared sim server when it answers on
 * `sim.host:sim.port` (the orchestrator started it), otherwise one engine embedded in this process,
 * shared by every venue and taker stream the process creates so a bot's taker orders and its fills
 * happen on the same book.
 */
import { readFileSync } from 'node:fs';
import { type FleetConfig, findMarket } from '@drift/core';
import { parseOracleCsv, SimEngine, type SimEngineConfig, type SimLogger } from '@drift/sim';

export type SimChoice = 'auto' | 'embedded' | 'remote';

export type SimTarget = { kind: 'remote'; url: string } | { kind: 'embedded'; engine: SimEngine };

const PROBE_TIMEOUT_MS = 500;

/** True when the sim server's `/health` answers within the probe timeout. */
export async function simServerReachable(host: string, port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}:${port}/health`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export async function resolveSim(
  config: FleetConfig,
  choice: SimChoice,
  logger?: SimLogger,
): Promise<SimTarget> {
  const { host, port } = config.sim;
  const url = `ws://${host}:${port}`;
  if (choice === 'remote') return { kind: 'remote', url };
  if (choice === 'auto' && (await simServerReachable(host, port))) return { kind: 'remote', url };
  return { kind: 'embedded', engine: embeddedEngine(config, logger) };
}

let shared: { key: string; engine: SimEngine } | undefined;

/**
 * The process's embedded engine for `config` (created on first use, clock running at
 * `sim.speed`). A second call with the same sim settings returns the same engine.
 */
export function embeddedEngine(config: FleetConfig, logger?: SimLogger): SimEngine {
  const key = JSON.stringify(config.sim, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (shared?.key === key) return shared.engine;
  shared?.engine.stopRealtime();
  const engine = new SimEngine(engineConfig(config), logger);
  engine.startRealtime(config.sim.speed);
  shared = { key, engine };
  return engine;
}

/** Stops the embedded engine's clock (tests, shutdown). */
export function stopEmbeddedEngine(): void {
  shared?.engine.stopRealtime();
  shared = undefined;
}

/** The engine's settings from the fleet config: the fleet's markets, each with its `sim.markets` entry. */
export function engineConfig(config: FleetConfig): SimEngineConfig {
  const { sim } = config;
  return {
    seed: sim.seed,
    markets: config.markets.map((symbol) => {
      const spec = findMarket(symbol);
      if (!spec) throw new RangeError(`markets: "${symbol}" has no market spec in @drift/core`);
      const settings = sim.markets[symbol];
      if (!settings)
        throw new RangeError(`sim.markets.${symbol}: missing (startPrice is needed in paper mode)`);
      return {
        spec,
        startPrice: settings.startPrice,
        volatilityBps: settings.volatilityBps,
        driftBps: settings.driftBps,
        ...(settings.replayCsv !== undefined && {
          replay: parseOracleCsv(readFileSync(settings.replayCsv, 'utf8'), spec.tickSize, settings.replayCsv),
        }),
      };
    }),
    subAccounts: Object.fromEntries(
      Object.entries(sim.subAccounts).map(([sub, s]) => [Number(sub), s.collateral]),
    ),
    takerFeeRate: sim.fees.takerPpm,
    makerFeeRate: sim.fees.makerPpm,
    auction: { durationSlots: sim.auctionDurationSlots },
    funding: { intervalMs: sim.fundingIntervalMs },
    takerFlow: { ordersPerMinute: sim.swiftOrdersPerMinute },
  };
}
