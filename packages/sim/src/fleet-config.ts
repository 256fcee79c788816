/**
 * The fleet config's `sim` section (validated by @drift/config's `loadFleetConfig`) -> engine config.
 * Markets must be ones @drift/domain knows (their tick/step/margins come from `MARKETS`); a replay CSV is read
 * and parsed here. Errors name the config path and the value.
 */
import { readFileSync } from 'node:fs';
import type { SimConfig as FleetSimConfig } from '@drift/config';
import { findMarket } from '@drift/domain';
import { DEFAULT_RIVALS } from './competition.js';
import type { SimEngineConfig, SimMarketConfig } from './config.js';
import { PERP_FEE_TIER_VOLUMES } from './fee-tiers.js';
import { parseOracleCsv } from './oracle.js';
import { parseRecording, replaySettings } from './recording.js';

/**
 * `markets`: the symbols to simulate (pass the fleet config's top-level `markets`); each needs a
 * `sim.markets` entry. Without it, every `sim.markets` entry is simulated.
 */
export function engineConfigFromFleet(
  sim: FleetSimConfig,
  options: { startTs?: number; markets?: readonly string[] } = {},
): SimEngineConfig {
  const symbols = options.markets ?? Object.keys(sim.markets);
  const markets: SimMarketConfig[] = symbols.map((symbol) => {
    const spec = findMarket(symbol);
    if (!spec)
      throw new RangeError(`sim.markets.${symbol}: "${symbol}" is not a market in @drift/domain MARKETS`);
    const market = sim.markets[symbol];
    if (!market) throw new RangeError(`sim.markets.${symbol}: missing (paper mode needs its startPrice)`);
    const config: SimMarketConfig = {
      spec,
      startPrice: market.startPrice,
      volatilityBps: market.volatilityBps,
      driftBps: market.driftBps,
    };
    if (market.replayCsv !== undefined) config.replay = readReplay(symbol, market.replayCsv, spec.tickSize);
    return config;
  });
  if (markets.length === 0) throw new RangeError('sim.markets: {} has no market to simulate');
  const config: SimEngineConfig = {
    seed: sim.seed,
    slotMs: sim.slotMs,
    markets,
    subAccounts: Object.fromEntries(
      Object.entries(sim.subAccounts).map(([id, a]) => [Number(id), a.collateral]),
    ),
    takerFeeRate: sim.fees.takerPpm,
    makerFeeRate: sim.fees.makerPpm,
    ...feeTiersFromFleet(sim),
    auction: { durationSlots: sim.auctionDurationSlots },
    takerFlow: { ordersPerMinute: sim.swiftOrdersPerMinute },
    funding: { intervalMs: sim.fundingIntervalMs },
    competition: {
      rivals: sim.competition.rivals === 'default' ? [...DEFAULT_RIVALS] : sim.competition.rivals,
      landingDelayMs: sim.competition.landingDelayMs,
    },
  };
  if (options.startTs !== undefined) config.startTs = options.startTs;
  // A recording brings its own clock (its first event's time and slot), which wins over startTs.
  if (sim.replayStream !== undefined) Object.assign(config, readReplayStream(sim.replayStream, markets));
  return config;
}

/**
 * Tier 1 (`fees` itself) and the tiers above it; each sub-account starts with the 30-day volume
 * that puts it on its tier (its `feeTier`, else `fees.tier`), and moves up as it trades.
 */
function feeTiersFromFleet(sim: FleetSimConfig): Pick<SimEngineConfig, 'feeTiers' | 'volume30d'> {
  const { fees } = sim;
  const feeTiers = [fees, ...fees.tiers].map((t) => ({ taker: t.takerPpm, maker: t.makerPpm }));
  const volume30d: Record<number, bigint> = {};
  for (const [id, account] of Object.entries(sim.subAccounts)) {
    const tier = account.feeTier ?? fees.tier;
    const volume = PERP_FEE_TIER_VOLUMES[tier - 1];
    if (volume === undefined || tier > feeTiers.length)
      throw new RangeError(
        `sim.subAccounts.${id}.feeTier: ${tier} is not a fee tier (1..${feeTiers.length})`,
      );
    if (volume > 0n) volume30d[Number(id)] = volume;
  }
  return { feeTiers, volume30d };
}

function readReplayStream(path: string, markets: SimMarketConfig[]) {
  return replaySettings(
    parseRecording(readText('sim.replayStream', path), `sim.replayStream ${path}`),
    markets,
  );
}

function readText(field: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RangeError(`${field}: "${path}" cannot be read (${code})`);
  }
}

function readReplay(symbol: string, path: string, tickSize: bigint) {
  const text = readText(`sim.markets.${symbol}.replayCsv`, path);
  return parseOracleCsv(text, tickSize, `sim.markets.${symbol}.replayCsv ${path}`);
}
