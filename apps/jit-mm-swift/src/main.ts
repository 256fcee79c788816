/**
 * `pnpm --filter jit-mm-swift start`: the JIT market maker as a process. Paper mode (default)
 * trades the shared sim server when the orchestrator runs the fleet, else an embedded simulator;
 * live mode fills Drift's Swift orders and on-chain auctions. Runs until SIGINT/SIGTERM or the orchestrator's stop.
 */
import { loadFleetConfig } from '@drift/config';
import type { TakerOrder } from '@drift/domain';
import { flushLogs, setupCriticalLogging } from '@drift/logging';
import { noOptionsUsage, readCliArgs, startApp } from '@drift/runtime';
import { mergeTakerSources, openVenue, simChoiceFor } from 'drift-client';
import { startBotOrders, startFreshnessGuard } from 'order-management';
import { createTakerSource } from 'swift-client';
import { JitMaker } from './bot.js';
import { fleetTakers } from './own-takers.js';
import { loadJitParams } from './params.js';
import { TakerVerifier } from './taker-verifier.js';

const APP = 'jit-mm-swift';
/** How often the heartbeat status is refreshed (heartbeats go out every DRIFT_HEARTBEAT_MS). */
const STATUS_MS = 250;

// Configured by the fleet config alone: any argument is a mistake, refused before anything starts.
readCliArgs({ app: APP, usage: noOptionsUsage(APP) });
const logger = setupCriticalLogging(APP);
const app = startApp({ appName: APP, logger, flushLogs });

try {
  const config = loadFleetConfig();
  const params = loadJitParams(config);

  // Keeps the process alive (the embedded simulator's clock does not) and feeds heartbeats.
  let maker: JitMaker | undefined;
  const status = setInterval(() => maker && app.setStatus(maker.status()), STATUS_MS);
  app.onShutdown('stop status', () => clearInterval(status));

  const venue = await openVenue(app, config, { logger, appName: APP });

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

  const orders = await startBotOrders(app, { bot: APP, venue, config, logger });
  const freshness = await startFreshnessGuard(app, {
    venue,
    orders,
    markets: params.markets,
    config,
    logger,
  });

  // Paper: the simulator's signed stream is checked here. Live: swift-client verifies each Swift
  // message (apps.swift-client.params.verifySignatures) before it reaches the bot.
  const verifier = new TakerVerifier();
  const verify =
    config.mode === 'live'
      ? (_taker: TakerOrder) => true
      : params.verifyOn === 'threadpool'
        ? verifier.verifyOffThread
        : verifier.verify;
  const ownTakers = fleetTakers(config);
  maker = new JitMaker({ venue, takers, orders, logger, params, verify, ownTakers, freshness, bot: APP });
  await maker.start();
  app.onShutdown('stop taking taker orders', async () => {
    await maker?.stop();
    if (maker) app.setStatus(maker.status());
  });

  app.setStatus(maker.status());
  app.ready({ mode: config.mode, subAccount: venue.subAccount, markets: params.markets });
} catch (err) {
  logger.error({ err }, 'jit-mm-swift failed to start');
  await app.shutdown('start-up failed', 1);
}
