import { parseBase, parsePrice } from '@drift/domain';
import { recordingLogger, testFleetConfig } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createVenue } from './create-venue.js';
import { embeddedEngine, stopEmbeddedEngine } from './paper.js';
import { watchVenue } from './watch.js';

afterEach(() => stopEmbeddedEngine());

describe('watchVenue', () => {
  it('logs oracle moves and the position a fill opens', async () => {
    const config = testFleetConfig({
      sim: {
        host: '127.0.0.1',
        port: 1,
        seed: 3,
        speed: 50,
        markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 400 } },
        swiftOrdersPerMinute: 0,
      },
    });
    const logger = recordingLogger();
    const maker = await createVenue(config, { logger, subAccount: 2 });
    const venue = await createVenue(config, { logger, subAccount: 1 });
    await Promise.all([maker.connect(), venue.connect()]);
    const stop = watchVenue(venue, logger, { oracleEveryMs: 0, positionEveryMs: 50 });
    try {
      await maker.placeOrder({
        market: 'SOL-PERP',
        side: 'sell',
        type: 'limit',
        baseAmount: parseBase('1'),
        price: parsePrice('100'),
      });
      const taken = await venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        baseAmount: parseBase('1'),
        price: parsePrice('200'),
        ioc: true,
      });
      expect(taken.ok).toBe(true);
      const deadline = Date.now() + 3_000;
      while (
        !logger.lines.some((l) => l.msg === 'position') ||
        !logger.lines.some((l) => l.msg === 'oracle')
      ) {
        if (Date.now() > deadline) throw new Error('nothing logged');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(logger.lines.find((l) => l.msg === 'position')?.fields).toMatchObject({
        market: 'SOL-PERP',
        base: '1',
        entryPrice: '100',
      });
      expect(embeddedEngine(config).clock().slot).toBeGreaterThan(0);
    } finally {
      stop();
      await Promise.all([venue.close(), maker.close()]);
    }
  });
});
