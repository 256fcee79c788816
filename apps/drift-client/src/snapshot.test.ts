import { parseBase, parsePrice } from '@drift/domain';
import { recordingLogger, testFleetConfig } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createVenue } from './create-venue.js';
import { stopEmbeddedEngine } from './paper.js';
import { accountSnapshot, marketSnapshots } from './snapshot.js';

afterEach(() => stopEmbeddedEngine());

describe('snapshots', () => {
  it('describe the markets and the account in human decimals', async () => {
    const venue = await createVenue(testFleetConfig(), { logger: recordingLogger(), subAccount: 1 });
    await venue.connect();
    try {
      await venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        baseAmount: parseBase('2'),
        price: parsePrice('149.5'),
      });
      const [sol] = await marketSnapshots(venue);
      expect(sol).toMatchObject({
        market: 'SOL-PERP',
        marketIndex: 0,
        oracle: '150',
        bid: '149.5',
        tickSize: '0.0001',
        stepSize: '0.01',
      });
      const account = await accountSnapshot(venue);
      expect(account).toMatchObject({
        subAccount: 1,
        collateral: '10000',
        equity: '10000',
        leverage: '0x',
        openOrders: 1,
        positions: [],
      });
      // Everything is JSON-safe (no bigint) so a logger can write it.
      expect(() => JSON.stringify({ sol, account })).not.toThrow();
    } finally {
      await venue.close();
    }
  });
});
