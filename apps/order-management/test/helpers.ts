import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findMarket,
  parseBase,
  parsePrice,
  type Unsubscribe,
  type Venue,
  type VenueEvent,
} from '@drift/domain';
import { SimEngine, SimVenue } from '@drift/sim';

export const px = (text: string) => parsePrice(text);
export const base = (text: string) => parseBase(text);
const SOL = findMarket('SOL-PERP');
if (!SOL) throw new Error('SOL-PERP missing from @drift/domain markets');

/** A flat-oracle SOL-PERP simulator, fees off: fills happen only when the test makes them. */
export function flatEngine(): SimEngine {
  return new SimEngine({
    seed: 7,
    markets: [{ spec: SOL as NonNullable<typeof SOL>, startPrice: px('150'), volatilityBps: 0 }],
    takerFeeRate: 0n,
    makerFeeRate: 0n,
  });
}

/** A real embedded SimVenue on `engine`, connected. */
export async function simVenue(engine: SimEngine, subAccount = 1): Promise<SimVenue> {
  const venue = SimVenue.embedded(engine, subAccount);
  await venue.connect();
  return venue;
}

export const buy = (price: string, size: string) =>
  ({ market: 'SOL-PERP', side: 'buy', type: 'limit', price: px(price), baseAmount: base(size) }) as const;
export const sell = (price: string, size: string) =>
  ({ market: 'SOL-PERP', side: 'sell', type: 'limit', price: px(price), baseAmount: base(size) }) as const;

export { type LogLine, recordingLogger } from '@drift/test-support';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'order-management-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A real venue plus events the test injects: only for mismatches the simulator never produces
 * (a venue contradicting itself, or one that cannot tell what an order did), to show how the
 * manager takes them. `mute` holds back the real venue's own events meanwhile.
 */
export function withInjectedEvents(venue: Venue): {
  venue: Venue;
  inject: (event: VenueEvent) => void;
  mute: (muted: boolean) => void;
} {
  const listeners = new Set<(event: VenueEvent) => void>();
  let muted = false;
  const wrapped: Venue = Object.create(venue, {
    subscribe: {
      value(listener: (event: VenueEvent) => void): Unsubscribe {
        listeners.add(listener);
        const off = venue.subscribe((event) => {
          if (!muted) listener(event);
        });
        return () => {
          listeners.delete(listener);
          off();
        };
      },
    },
  });
  const inject = (event: VenueEvent) => {
    for (const listener of listeners) listener(event);
  };
  return {
    venue: wrapped,
    inject,
    mute: (on) => {
      muted = on;
    },
  };
}
