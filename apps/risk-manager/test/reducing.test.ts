/** `reducing` as a bot sees it: the real OrderManager with @drift/domain's risk check, fed by the monitor. */
import path from 'node:path';
import { parseBase, parsePrice } from '@drift/domain';
import { SimVenue } from '@drift/sim';
import { type OrderManager, startRiskCheckedOrders } from 'order-management';
import { afterEach, describe, expect, it } from 'vitest';
import { fill, fleetEngine, limitsFrom, monitorOf, quiet, tempStatePath } from './fleet.js';

const managers: OrderManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop({ cancel: false })));
});

describe('reducing state', () => {
  it('lets only orders that reduce exposure through order-management, and clears once the breach does', async () => {
    const engine = fleetEngine();
    const limits = limitsFrom({ maxPositionBase: { 'SOL-PERP': '500' } });
    const statePath = tempStatePath();
    const monitor = await monitorOf(engine, limits, statePath, { changes: [] });

    const venue = SimVenue.embedded(engine, 1);
    await venue.connect();
    const orders = await startRiskCheckedOrders({
      bot: 'trend-bot',
      venue,
      journal: path.join(path.dirname(statePath), 'trend-bot.orders.sqlite'),
      logger: quiet,
      rateLimit: false,
      limits,
    });
    managers.push(orders);

    fill(engine, 1, '520'); // 20 SOL over the limit (a fill the bot did not plan)
    await monitor.evaluate();
    expect(monitor.state).toBe('reducing');
    orders.setTradingState(monitor.state, 'risk-manager: position'); // what the orchestrator relays

    const market = (side: 'buy' | 'sell', base: string) =>
      orders.place({ market: 'SOL-PERP', side, type: 'market', baseAmount: parseBase(base) });
    const more = await market('buy', '1');
    expect(more).toMatchObject({ ok: false, reason: 'risk-limit' });
    const flip = await orders.place({
      market: 'SOL-PERP',
      side: 'sell',
      type: 'limit',
      price: parsePrice('200'),
      baseAmount: parseBase('600'),
    });
    expect(flip).toMatchObject({ ok: false, reason: 'risk-limit' });
    const reduce = await market('sell', '20');
    expect(reduce.ok).toBe(true);
    expect(engine.positions({ subAccount: 1 })[0]?.baseAmount).toBe(parseBase('500'));

    await monitor.evaluate();
    expect(monitor.state).toBe('active'); // reducing clears by itself with the breach
  });
});
