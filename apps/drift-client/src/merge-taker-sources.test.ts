import type { TakerOrder, TakerOrderSource } from '@drift/domain';
import { describe, expect, it } from 'vitest';
import { mergeTakerSources } from './merge-taker-sources.js';

/** A source the test pushes orders into (merge only sees the TakerOrderSource interface). */
function pushSource(closeError?: Error) {
  const listeners = new Map<(o: TakerOrder) => void, string[]>();
  let closed = false;
  const source: TakerOrderSource = {
    subscribe(markets, listener) {
      listeners.set(listener, markets);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      if (closeError) throw closeError;
    },
  };
  const push = (o: TakerOrder) => {
    for (const [l, markets] of listeners) if (markets.includes(o.market)) l(o);
  };
  return { source, push, closed: () => closed, listening: () => listeners.size };
}

const order = (uuid: string, source: TakerOrder['source']): TakerOrder => ({
  uuid,
  source,
  market: 'SOL-PERP',
  side: 'buy',
  baseAmount: 1_000_000_000n,
  auction: { startPrice: 150_000_000n, endPrice: 151_000_000n, startSlot: 1, durationSlots: 10 },
  taker: 'taker',
  receivedAt: 0,
});

describe('mergeTakerSources', () => {
  it('delivers both sources to one listener, unsubscribes from both, and closes both even if one fails', async () => {
    const swift = pushSource();
    const auctions = pushSource(new Error('ws gone'));
    const merged = mergeTakerSources(swift.source, auctions.source);
    const got: string[] = [];
    const unsubscribe = merged.subscribe(['SOL-PERP'], (o) => got.push(`${o.source}:${o.uuid}`));
    swift.push(order('a', 'swift'));
    auctions.push(order('b', 'auction'));
    expect(got).toEqual(['swift:a', 'auction:b']);

    unsubscribe();
    expect([swift.listening(), auctions.listening()]).toEqual([0, 0]);
    await expect(merged.close()).rejects.toThrow('ws gone');
    expect([swift.closed(), auctions.closed()]).toEqual([true, true]);
  });
});
