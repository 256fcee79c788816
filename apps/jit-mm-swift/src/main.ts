/**
 * `pnpm --filter jit-mm-swift start`: the JIT market maker as a process. Paper mode (default)
 * trades the shared sim server when the orchestrator runs the fleet, else an embedded simulator;
 * live mode fills Drift's Swift orders and on-chain auctions. Runs until SIGINT/SIGTERM or the orchestrator's stop.
 */
import type { TakerOrder } from '@drift/domain';
import { setupCriticalLogging } from '@drift/logging';
import { type BotDeps, runBot } from 'bot-runtime';
import { mergeTakerSources, simChoiceFor } from 'drift-client';
import { createTakerSource, recordedSwiftOrderVerifier } from 'swift-client';
import { JitMaker } from './bot.js';
import { fleetTakers } from './own-takers.js';
import { type JitParams, loadJitParams } from './params.js';
import { TakerVerifier } from './taker-verifier.js';

/** The maker with its taker stream (closed at shutdown, after the maker has stopped). */
async function createMaker(deps: BotDeps<JitParams>): Promise<JitMaker> {
  const { config, logger, venue, params, app } = deps;
  const swift = await createTakerSource(config, { logger, sim: simChoiceFor(app.supervised) });
  // Live: on-chain auctions too, through the bot's own DriftVenue (paper: the simulator's stream has
  // both). Imported here so that a paper-mode process never loads the SDK.
  const takers =
    config.mode === 'live'
      ? mergeTakerSources(
          swift,
          await (await import('drift-client/live')).createAuctionTakerSource(config, { logger, venue }),
        )
      : swift;
  app.onShutdown('close taker stream', () => takers.close());

  // Paper: the simulator's signed stream is checked here, and live Swift orders it replays from a
  // recording in Swift's format. Live: swift-client verifies each Swift message
  // (apps.swift-client.params.verifySignatures) before it reaches the bot.
  const verifier = new TakerVerifier({ swift: recordedSwiftOrderVerifier(config.env) });
  const verify =
    config.mode === 'live'
      ? (_taker: TakerOrder) => true
      : params.verifyOn === 'threadpool'
        ? verifier.verifyOffThread
        : verifier.verify;
  return new JitMaker({ ...deps, takers, verify, ownTakers: fleetTakers(config) });
}

await runBot({
  app: 'jit-mm-swift',
  setupLogging: setupCriticalLogging,
  loadParams: loadJitParams,
  markets: (params) => params.markets,
  create: createMaker,
});
