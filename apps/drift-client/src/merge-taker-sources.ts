/**
 * One `TakerOrderSource` over several (live: swift-client's Swift stream and drift-client's
 * on-chain auctions), so a maker bot listens to one stream whatever feeds it.
 */
import type { TakerOrder, TakerOrderSource, Unsubscribe } from '@drift/domain';

export function mergeTakerSources(...sources: TakerOrderSource[]): TakerOrderSource {
  return {
    subscribe(markets: string[], listener: (order: TakerOrder) => void): Unsubscribe {
      const unsubscribes = sources.map((s) => s.subscribe(markets, listener));
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
    async close(): Promise<void> {
      // Every source is closed even when one fails; the first failure is then reported.
      const results = await Promise.allSettled(sources.map((s) => s.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
