/**
 * Quotes die with their bot: every order `place()` sends carries an expiry (Drift's `maxTs`) of
 * `expiryMs` ahead of venue time, and while the bot is alive its resting orders have that expiry
 * moved forward before half of it has run out. A bot that vanishes (SIGKILL, host loss, a network
 * partition) stops moving it, and the venue drops its orders within `expiryMs`.
 *
 * Venue time, not local time: a fast-forwarded simulator's clock runs ahead of the wall, so the
 * check interval follows the measured pace of the venue clock.
 */
import { ORDER_EXPIRY_MS } from '@drift/config';
import type { Order, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { ManagedOrder } from './managed-order.js';

export interface ExpiryKeeperOptions {
  venue: Venue;
  subAccount: number;
  expiryMs: number;
  log: LoggerLike;
  /** Local clock (ms). */
  now: () => number;
  /** The bot's live orders meant to rest on the book (acknowledged, limit, not IOC). */
  resting: () => ManagedOrder[];
  /** The venue took the new expiry (on Drift the order may come back under a new order id). */
  onRefreshed: (order: ManagedOrder, venueOrder: Order) => void;
  /** The venue no longer has the order open: reconcile it. */
  onGone: (order: ManagedOrder, detail: string) => void;
}

/** Longest and shortest wall time between two checks. */
const MAX_CHECK_MS = 1_000;
const MIN_CHECK_MS = 25;
/** Local time over which the venue clock's pace is measured (slots make shorter spans jumpy). */
const PACE_WINDOW_MS = 250;
/** Longer than any gap between two checks: a reference this old dates from before an idle spell. */
const STALE_REFERENCE_MS = 3 * MAX_CHECK_MS;

/** True for an order that should rest on the book (and so keep its expiry refreshed). */
export const restsOnBook = (order: Pick<ManagedOrder, 'type' | 'ioc'>): boolean =>
  order.type === 'limit' && !order.ioc;

export function validExpiryMs(expiryMs: number): number {
  if (!Number.isSafeInteger(expiryMs) || expiryMs < ORDER_EXPIRY_MS.min || expiryMs > ORDER_EXPIRY_MS.max)
    throw new RangeError(
      `orderExpiryMs: ${String(expiryMs)} is not between ${ORDER_EXPIRY_MS.min} and ${ORDER_EXPIRY_MS.max} ms`,
    );
  return expiryMs;
}

export class ExpiryKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Venue ms per local ms (>= 1): assumed fast until measured over PACE_WINDOW_MS. */
  private pace = Number.POSITIVE_INFINITY;
  private reference: { local: number; venue: number } | undefined;

  constructor(private readonly opts: ExpiryKeeperOptions) {}

  /** The expiry of an order sent now. */
  async maxTsForNewOrder(): Promise<number> {
    return (await this.venueNow()) + this.opts.expiryMs;
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Moves forward the expiry of every resting order with less than half of it left. */
  async check(): Promise<void> {
    const resting = this.opts.resting();
    if (resting.length === 0) return;
    const venueNow = await this.venueNow();
    const open = await this.opts.venue.getOpenOrders({ subAccount: this.opts.subAccount });
    const byId = new Map(open.map((o) => [o.orderId, o]));
    const maxTs = venueNow + this.opts.expiryMs;
    for (const order of resting) {
      const venueOrder = order.orderId === undefined ? undefined : byId.get(order.orderId);
      if (!venueOrder || venueOrder.maxTs === undefined) continue; // reconciliation's business
      if (venueOrder.maxTs - venueNow > this.opts.expiryMs / 2) continue;
      await this.refresh(order, venueOrder.orderId, maxTs);
    }
  }

  private async refresh(order: ManagedOrder, orderId: string, maxTs: number): Promise<void> {
    const fields = { clientOrderId: order.clientOrderId, orderId, market: order.market, maxTs };
    const result = await this.opts.venue.modifyOrder(
      orderId,
      { maxTs },
      { subAccount: this.opts.subAccount },
    );
    if (result.ok) {
      this.opts.onRefreshed(order, result.order);
      this.opts.log.debug(fields, 'order expiry refreshed');
    } else if (result.reason === 'order-not-found' || result.reason === 'order-expired') {
      this.opts.onGone(order, `${result.reason}: ${result.message}`);
    } else {
      // Left to lapse if the venue keeps refusing: the quote dies, which is the safe side.
      this.opts.log.warn(
        { ...fields, reason: result.reason, detail: result.message },
        'order expiry refresh refused',
      );
    }
  }

  private async venueNow(): Promise<number> {
    const venue = (await this.opts.venue.clock()).ts;
    const local = this.opts.now();
    const span = this.reference ? local - this.reference.local : Number.POSITIVE_INFINITY;
    // A reference from before an idle spell would average the pace down: start a new window.
    if (span > STALE_REFERENCE_MS) this.reference = { local, venue };
    else if (span >= PACE_WINDOW_MS && this.reference) {
      this.pace = Math.max(1, (venue - this.reference.venue) / (local - this.reference.local));
      this.reference = { local, venue };
    }
    return venue;
  }

  /** A tenth of the expiry in venue time, as wall time at the venue's pace. */
  private intervalMs(): number {
    return Math.max(MIN_CHECK_MS, Math.min(MAX_CHECK_MS, this.opts.expiryMs / 10 / this.pace));
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.check()
        .catch((err: unknown) => this.opts.log.warn({ err }, 'order expiry check failed'))
        .finally(() => this.schedule());
    }, this.intervalMs());
    this.timer.unref();
  }
}
