import { describe, expect, it } from 'vitest';
import { heartbeatStatus } from './heartbeat-status.js';

describe('heartbeat status', () => {
  it("is order-management's counts with the bot's PnL, its counters over the order counters", () => {
    const orders = {
      status: () => ({
        openOrders: 2,
        fills: 5,
        ordersPlaced: 9,
        feesPaidQuote: '1.25',
        feesReceivedQuote: '0.5',
        counters: { ordersLost: 1, ordersFilled: 4, shared: 1 },
      }),
    };
    const bot = { status: () => ({ pnlQuote: '-3.5', counters: { hedges: 3, shared: 2 } }) };
    expect(heartbeatStatus(orders, bot)).toEqual({
      openOrders: 2,
      fills: 5,
      ordersPlaced: 9,
      feesPaidQuote: '1.25',
      feesReceivedQuote: '0.5',
      pnlQuote: '-3.5',
      counters: { ordersLost: 1, ordersFilled: 4, hedges: 3, shared: 2 },
    });
  });
});
