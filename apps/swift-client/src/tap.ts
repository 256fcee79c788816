/**
 * `swift-client` on its own: log every taker order of the stream (market, side, size, auction,
 * latency from the server's stamp when the stream is live Swift) and the connection's events.
 */
import { formatBase, formatPrice, type TakerOrder, type TakerOrderSource } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { SwiftClient } from './swift-client.js';

export function describeTakerOrder(order: TakerOrder, latencyMs?: number): Record<string, unknown> {
  return {
    uuid: order.uuid,
    source: order.source,
    market: order.market,
    side: order.side,
    size: formatBase(order.baseAmount),
    auctionStartPrice: formatPrice(order.auction.startPrice),
    auctionEndPrice: formatPrice(order.auction.endPrice),
    auctionStartSlot: order.auction.startSlot,
    auctionDurationSlots: order.auction.durationSlots,
    taker: order.taker,
    ...(latencyMs !== undefined && { latencyMs }),
  };
}

/** Swift's live client reports its connection events; the simulator's stream has none. */
function hasStatus(source: TakerOrderSource): source is SwiftClient {
  return typeof (source as Partial<SwiftClient>).onStatus === 'function';
}

export function tapStream(source: TakerOrderSource, markets: string[], logger: LoggerLike): () => void {
  const latency = new Map<string, number>();
  const stopStatus = hasStatus(source)
    ? source.onStatus((event) => {
        if (event.type === 'order') latency.set(event.uuid, event.latencyMs);
        else if (
          event.type === 'rejected' ||
          event.type === 'heartbeat-timeout' ||
          event.type === 'disconnected'
        ) {
          logger.warn({ ...event }, `swift ${event.type}`);
        } else if (event.type !== 'duplicate') logger.info({ ...event }, `swift ${event.type}`);
      })
    : () => undefined;
  const stopOrders = source.subscribe(markets, (order) => {
    logger.info(describeTakerOrder(order, latency.get(order.uuid)), 'taker order');
    latency.delete(order.uuid);
  });
  return () => {
    stopOrders();
    stopStatus();
  };
}
