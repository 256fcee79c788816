/**
 * What `drift-client --record FILE` appends (@drift/sim's recording lines): every oracle update the
 * venue announces and, on a live venue, every on-chain auction of its markets, as the
 * `AuctionTakerSource` a live maker trades delivers it (`source: "auction"`). `sim.replayStream`
 * replays both. Paper: the simulator's auctions travel on its taker stream, which swift-client records.
 */
import type { TakerOrderSource, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { recordOracles, recordTakers, StreamRecorder } from '@drift/sim';
import type { DriftClientParams } from './params.js';

export interface VenueRecordingOptions {
  logger: LoggerLike;
  /** How the auction source follows the chain (subscription, polling interval, commitment). */
  params: Pick<DriftClientParams, 'subscription' | 'pollingIntervalMs' | 'commitment'>;
}

export interface VenueRecording {
  /** What is being recorded: `oracle`, and `auction` on a live venue. */
  readonly kinds: readonly ('oracle' | 'auction')[];
  /** Resolves once the on-chain auctions open at the start were recorded (at once without them). */
  ready(): Promise<void>;
  /** Stops recording and closes the file; every line received so far is in it. */
  stop(): Promise<void>;
}

/** Starts recording `venue` (connected) to `path` (appended). */
export async function recordVenue(
  venue: Venue,
  path: string,
  opts: VenueRecordingOptions,
): Promise<VenueRecording> {
  const recorder = new StreamRecorder(path);
  const stops = [recordOracles(venue, recorder)];
  let auctions: (TakerOrderSource & { ready(): Promise<void> }) | undefined;
  if (venue.kind === 'drift') {
    // Loaded on the live path only: a paper process never loads the SDK.
    const { AuctionTakerSource, DriftVenue } = await import('./live.js');
    if (!(venue instanceof DriftVenue)) throw new Error('venue: a "drift" venue that is not a DriftVenue');
    const source = new AuctionTakerSource({ venue, params: opts.params, logger: opts.logger });
    auctions = source;
    stops.push(
      recordTakers(
        source,
        venue.markets().map((m) => m.symbol),
        recorder,
      ),
    );
  }
  return {
    kinds: auctions ? ['oracle', 'auction'] : ['oracle'],
    ready: async () => auctions?.ready(),
    stop: async () => {
      for (const stop of stops) stop();
      await auctions?.close();
      recorder.close();
    },
  };
}
