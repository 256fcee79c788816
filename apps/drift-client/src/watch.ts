/**
 * `--watch`: logs each market's oracle when it moves (at most once per `oracleEveryMs` per market)
 * and each position when it changes (checked on fills and every `positionEveryMs`).
 */
import type { Position, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import { describeOracle, describePosition } from './snapshot.js';

export interface WatchOptions {
  oracleEveryMs?: number;
  positionEveryMs?: number;
}

export function watchVenue(venue: Venue, logger: LoggerLike, opts: WatchOptions = {}): () => void {
  const oracleEveryMs = opts.oracleEveryMs ?? 1_000;
  const lastOracle = new Map<string, { price: bigint; at: number }>();
  const lastPositions = new Map<string, string>();
  let checking = false;

  const checkPositions = async (): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const positions = await venue.getPositions();
      const seen = new Set<string>();
      for (const p of positions) {
        seen.add(p.market);
        const key = `${p.baseAmount}:${p.quoteEntryAmount}`;
        if (lastPositions.get(p.market) === key) continue;
        lastPositions.set(p.market, key);
        logger.info({ subAccount: p.subAccount, ...describePosition(p) }, 'position');
      }
      for (const market of lastPositions.keys()) {
        if (seen.has(market)) continue;
        lastPositions.delete(market);
        logger.info(
          { subAccount: venue.subAccount, ...describePosition(flat(venue.subAccount, market)) },
          'position',
        );
      }
    } catch (err) {
      logger.warn({ err }, 'position check failed');
    } finally {
      checking = false;
    }
  };

  const unsubscribe = venue.subscribe((event) => {
    if (event.type === 'oracle') {
      const { market, price } = event.price;
      const last = lastOracle.get(market);
      const now = Date.now();
      if (last && (last.price === price || now - last.at < oracleEveryMs)) return;
      lastOracle.set(market, { price, at: now });
      logger.info(describeOracle(event.price), 'oracle');
    } else if (event.type === 'fill') {
      void checkPositions();
    } else if (event.type === 'connection' || event.type === 'halt') {
      logger.warn(
        { event: event.type, ...('state' in event ? { state: event.state } : { reason: event.reason }) },
        'venue',
      );
    }
  });
  void checkPositions();
  const timer = setInterval(() => void checkPositions(), opts.positionEveryMs ?? 5_000);
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}

function flat(subAccount: number, market: string): Position {
  return {
    subAccount,
    market,
    baseAmount: 0n,
    quoteEntryAmount: 0n,
    entryPrice: 0n,
    realizedPnl: 0n,
    unrealizedPnl: 0n,
  };
}
