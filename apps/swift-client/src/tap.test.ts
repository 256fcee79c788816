import { recordingLogger } from '@drift/test-support';
import { stopEmbeddedEngine } from 'drift-client';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetConfig } from '../test/config.js';
import { createTakerSource } from './create-taker-source.js';
import { tapStream } from './tap.js';

afterEach(() => stopEmbeddedEngine());

describe('tapStream', () => {
  it('logs each taker order with market, side, size and auction in human decimals', async () => {
    const logger = recordingLogger();
    const source = await createTakerSource(fleetConfig(), { logger });
    const stop = tapStream(source, ['SOL-PERP'], logger);
    try {
      const deadline = Date.now() + 3_000;
      while (!logger.lines.some((l) => l.msg === 'taker order')) {
        if (Date.now() > deadline) throw new Error('no order logged');
        await new Promise((r) => setTimeout(r, 20));
      }
      const fields = logger.lines.find((l) => l.msg === 'taker order')?.fields as Record<string, unknown>;
      expect(fields).toMatchObject({ source: 'swift', market: 'SOL-PERP' });
      expect(fields.side).toMatch(/^(buy|sell)$/);
      expect(fields.size).toMatch(/^\d+(\.\d+)?$/);
      expect(fields.auctionStartPrice).toMatch(/^\d+(\.\d+)?$/);
      expect(typeof fields.auctionDurationSlots).toBe('number');
      expect(() => JSON.stringify(fields)).not.toThrow();
    } finally {
      stop();
      await source.close();
    }
  });
});
