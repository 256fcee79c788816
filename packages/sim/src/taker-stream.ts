/**
 * `SimTakerStream`: @drift/domain's `TakerOrderSource` over the simulator — the signed Swift-like stream and
 * the auctions of sub-accounts' market orders, per market. Each order carries the signed `message`,
 * the `signature` and the taker's base58 key (`taker`), checkable with `verifyTakerOrder`.
 * `receivedAt` is venue time.
 */
import type { TakerOrder, TakerOrderSource, Unsubscribe } from '@drift/domain';
import { embeddedApi, type SimApi } from './api.js';
import { SimClient } from './client.js';
import type { SimEngine } from './engine.js';

export class SimTakerStream implements TakerOrderSource {
  private readonly unsubscribers = new Set<() => void>();

  constructor(private readonly api: SimApi) {}

  static embedded(engine: SimEngine): SimTakerStream {
    return new SimTakerStream(embeddedApi(engine));
  }

  static remote(url: string): SimTakerStream {
    return new SimTakerStream(new SimClient(url));
  }

  /** Resolves once connected and every subscription so far is in force: orders flow from then on. */
  async ready(): Promise<void> {
    if (this.api instanceof SimClient) await this.api.connect();
    await this.api.synced();
  }

  subscribe(markets: string[], listener: (order: TakerOrder) => void): Unsubscribe {
    const unsubscribe = this.api.subscribe({ takers: markets }, (event) => {
      if (event.type === 'taker') listener(event.order);
    });
    this.unsubscribers.add(unsubscribe);
    if (this.api instanceof SimClient) void this.api.connect().catch(() => undefined);
    return () => {
      unsubscribe();
      this.unsubscribers.delete(unsubscribe);
    };
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers.clear();
    await this.api.close();
  }
}
