/**
 * Venue orders that must not trade: open orders of this bot the journal does not know (a crash
 * between send and journal, another process on the same ids) and orders the venue opened after the
 * manager gave up on them (expired or rejected). Both are cancelled and the journal keeps a trace.
 */
import type { Order, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Journal } from './journal.js';
import type { ManagedOrder } from './managed-order.js';
import { orderFields } from './order-manager-types.js';
import type { OrderTally } from './order-tally.js';

export interface StrayOrdersOptions {
  bot: string;
  subAccount: number;
  venue: Venue;
  journal: Journal;
  tally: OrderTally;
  log: LoggerLike;
  /** Local clock (ms) for the journal rows of unknown orders. */
  now: () => number;
}

export class StrayOrders {
  constructor(private readonly opts: StrayOrdersOptions) {}

  /** Cancels an open venue order the journal does not know and journals it; true when cancelled. */
  async cancelUnknown(venueOrder: Order): Promise<boolean> {
    const { bot, venue, subAccount, journal } = this.opts;
    const fields = {
      orderId: venueOrder.orderId,
      userOrderId: venueOrder.userOrderId,
      market: venueOrder.market,
    };
    const ok = await venue.cancelOrder(venueOrder.orderId, { subAccount });
    const clientOrderId = venueOrder.clientOrderId ?? `${bot}-venue-${venueOrder.orderId}`;
    const detail = `open at venue, unknown to the journal: ${ok ? 'cancelled' : 'cancel failed'}`;
    if (journal.get(clientOrderId)) {
      journal.recordEvent(clientOrderId, 'unknown-cancelled', undefined, detail);
    } else {
      const now = this.opts.now();
      journal.recordIntent({
        clientOrderId,
        userOrderId: venueOrder.userOrderId ?? 0,
        orderId: venueOrder.orderId,
        bot,
        subAccount: venueOrder.subAccount,
        market: venueOrder.market,
        side: venueOrder.side,
        type: venueOrder.type,
        baseAmount: venueOrder.baseAmount,
        ...(venueOrder.price === undefined ? {} : { price: venueOrder.price }),
        postOnly: venueOrder.postOnly,
        reduceOnly: venueOrder.reduceOnly,
        ioc: venueOrder.ioc,
        status: ok ? 'cancelled' : 'open',
        filledBase: venueOrder.filledBase,
        reason: detail,
        sinceVenueTs: venueOrder.createdAt,
        createdAt: now,
        updatedAt: now,
      });
    }
    if (ok) this.opts.tally.counts.unknownCancelled += 1;
    this.opts.log.warn({ ...fields, clientOrderId, cancelled: ok }, 'unknown venue order: cancelling');
    return ok;
  }

  /** The venue has open an order we already declared expired or rejected: it must not trade. */
  cancelLate(order: ManagedOrder, venueOrder: Order): void {
    const { log } = this.opts;
    log.warn(
      { ...orderFields(order), orderId: venueOrder.orderId, status: order.status },
      'venue opened an order already given up on: cancelling it',
    );
    this.opts.journal.recordEvent(order.clientOrderId, 'late-order-cancel', order.status, venueOrder.orderId);
    this.opts.venue
      .cancelOrder(venueOrder.orderId, { subAccount: this.opts.subAccount })
      .catch((err: unknown) => log.error({ ...orderFields(order), err }, 'cancelling a late order failed'));
  }
}
