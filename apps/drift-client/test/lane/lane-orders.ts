/**
 * Real OrderManagers for a lane describe block: each on a lane venue with its own SQLite journal
 * in a temporary folder made before the block's tests and removed after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderManager } from 'order-management';
import { afterAll, beforeAll } from 'vitest';
import type { Lane, LaneVenue } from './lane.js';

export function laneOrderManagers(
  lane: () => Lane,
  opts: { placeTimeoutMs?: number; orderExpiryMs?: number } = {},
): (venue: LaneVenue, bot: string) => Promise<OrderManager> {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lane-orders-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return async (venue, bot) => {
    if (!dir) throw new Error('laneOrderManagers: the journal folder was not made');
    const orders = new OrderManager({
      bot,
      venue: venue.venue,
      journal: join(dir, `${bot}.sqlite`),
      logger: lane().logger,
      rateLimit: false,
      ...opts,
    });
    await orders.start();
    return orders;
  };
}
