/**
 * Order transactions and what they did: sends the instructions (`TxSender`), then establishes the
 * order's outcome from the transaction's events, the User account, the fills seen and the account
 * before and after; an outcome none of them settles is `outcome-unknown` (never a failure inviting
 * a retry) and is followed in the background until the chain shows it.
 */
import { type Fill, maxBig, type Order, type OrderRequest, type PlaceResult } from '@drift/domain';
import { toCoreOrder } from './account-view.js';
import { fetchTxEvents, type TxEvents } from './tx-events.js';
import { accountFillFields, outcomeFromAccounts } from './tx-outcome.js';
import { type Sent, TxError, type TxSender } from './tx-sender.js';
import { reject, type VenueContext } from './venue-context.js';
import type { VenueEventStream } from './venue-event-stream.js';

/** Background look-ups of a transaction whose outcome was unknown (backing off to 30 s). */
const FOLLOW_UP_ATTEMPTS = 12;

export class OrderTransactions {
  /** Set once connected. */
  sender: TxSender | undefined;

  constructor(
    private readonly ctx: VenueContext,
    private readonly stream: VenueEventStream,
  ) {}
  /**
   * Sends an order transaction and establishes what it did, in this order: the transaction's own
   * events (`getTransaction`, retried a bounded number of times: load-balanced RPCs answer null
   * for a while after confirmation), the User account (the order resting), the fill events our
   * subscription saw, then the account before and after (`tx-outcome.ts`). When none of them
   * settles it the answer is `outcome-unknown`, never a failure inviting a retry.
   */
  async transact(
    sub: number,
    ixs: Parameters<TxSender['send']>[0],
    what: {
      userOrderId: number;
      request?: OrderRequest;
      clientOrderId?: string | undefined;
      /** The result for a refusal that is not a failure (undefined: rejected with its reason). */
      whenRefused?: (err: TxError) => PlaceResult | undefined;
    },
  ): Promise<PlaceResult> {
    const user = this.ctx.user(sub);
    const market = what.request ? this.ctx.spec(what.request.market) : undefined;
    const before = user ? this.ctx.markOf(user) : undefined;
    let sent: Sent;
    try {
      sent = await this.send(ixs);
    } catch (err) {
      if (err instanceof TxError) return what.whenRefused?.(err) ?? reject(err.reason, err.message);
      throw err;
    }
    await user?.fetchAccounts();
    const clientOrderId = what.request?.clientOrderId ?? what.clientOrderId;
    const events = await this.txEvents(sent.signature);
    const now = await this.ctx.nowFromSlot();
    // The new order is ours in this transaction's OrderRecords; the User account says if it rests.
    const placed = events?.orders.find(
      (o) => o.order.userOrderId === what.userOrderId && user?.getUserAccountPublicKey().equals(o.user),
    )?.order;
    const resting = placed
      ? user?.getOrder(placed.orderId)
      : what.userOrderId !== 0
        ? user?.getOrderByUserOrderId(what.userOrderId)
        : undefined;
    const sdkOrder = resting ?? placed;
    let order: Order;
    if (sdkOrder) {
      order = toCoreOrder(sdkOrder, {
        subAccount: sub,
        market: this.ctx.symbolOf(sdkOrder.marketIndex) ?? String(sdkOrder.marketIndex),
        now,
        ...(clientOrderId !== undefined && { clientOrderId }),
      });
    } else {
      const after = user ? this.ctx.markOf(user) : undefined;
      const request = what.request;
      const outcome =
        before && after && request && market
          ? outcomeFromAccounts(before, after, {
              ...request,
              marketIndex: market.marketIndex,
              landedSlot: sent.slot,
            })
          : { ok: false as const, why: 'no account state to compare' };
      if (!outcome.ok || !request) {
        const why = outcome.ok ? 'no order request' : outcome.why;
        this.ctx.logger.warn(
          { signature: sent.signature, subAccount: sub, userOrderId: what.userOrderId, why },
          'order transaction confirmed but its outcome is unknown',
        );
        this.followUnknownOutcome(sub, sent.signature, what.userOrderId, clientOrderId);
        return reject(
          'outcome-unknown',
          `transaction ${sent.signature} confirmed but its effect on order userOrderId ${what.userOrderId} could not be read (${why}); reconcile, do not retry`,
        );
      }
      this.ctx.logger.info(
        {
          signature: sent.signature,
          subAccount: sub,
          orderId: outcome.orderId,
          ...accountFillFields(outcome),
        },
        'order transaction unreadable: its outcome read from the account before and after',
      );
      order = orderOfRequest(request, {
        orderId: String(outcome.orderId),
        clientOrderId,
        userOrderId: what.userOrderId,
        subAccount: sub,
        filledBase: outcome.filledBase,
        status: 'open',
        ts: now.ts,
      });
    }
    if (clientOrderId !== undefined) this.ctx.clientOrderIds(sub).set(Number(order.orderId), clientOrderId);
    const recorded = (events?.actions ?? [])
      .map((r) => (user ? this.stream.recordFill(r, sub, user) : undefined))
      .filter((f): f is Fill => f !== undefined);
    // Fills of this order our event subscription already delivered count too (events first).
    const fills = [...new Set([...recorded, ...this.stream.fillsOf(sub)])].filter(
      (f) => f.orderId === order.orderId,
    );
    if (!resting) {
      const filled = fills.reduce((sum, f) => sum + f.baseAmount, 0n);
      order.filledBase = maxBig(filled, order.filledBase);
      // Not resting is only proof it ended when the account was read at or after the transaction.
      const accountSlot = user?.getUserAccountAndSlot()?.slot ?? 0;
      if (order.filledBase >= order.baseAmount) order.status = 'filled';
      else if (accountSlot >= sent.slot) order.status = 'cancelled';
    }
    this.ctx.logger.info(
      {
        market: order.market,
        orderId: order.orderId,
        clientOrderId,
        subAccount: sub,
        status: order.status,
        signature: sent.signature,
        ...(!events && { events: 'unavailable' }),
      },
      'order transaction confirmed',
    );
    return { ok: true, order, fills };
  }

  /**
   * An IOC order the program refused to place because nothing could fill it at once: the same
   * result as the simulator's IOC with nothing to match (cancelled, unfilled). Its transaction did
   * not land, so it has no Drift order id: `0`, which Drift never gives an order (ids start at 1).
   */
  unfilledIoc(sub: number, request: OrderRequest, userOrderId: number, err: TxError): PlaceResult {
    const order = orderOfRequest(request, {
      orderId: '0',
      clientOrderId: request.clientOrderId,
      userOrderId,
      subAccount: sub,
      filledBase: 0n,
      status: 'cancelled',
      ts: this.ctx.now(),
    });
    this.ctx.logger.info(
      {
        market: request.market,
        side: request.side,
        clientOrderId: request.clientOrderId,
        subAccount: sub,
        ...(err.signature !== undefined && { signature: err.signature }),
      },
      'IOC order had nothing to fill at once (ImpossibleFill): cancelled, nothing placed',
    );
    return { ok: true, order, fills: [] };
  }

  /**
   * Keeps asking for a transaction whose outcome was unknown (backing off, bounded): once its
   * events are read, its fills are delivered with the caller's client order id and the order's
   * final state as an order event, so the order manager settles it from the chain.
   */
  private followUnknownOutcome(
    sub: number,
    signature: string,
    userOrderId: number,
    clientOrderId: string | undefined,
  ): void {
    const { pollIntervalMs, lookupAttempts } = this.ctx.opts.params.confirm;
    let attempt = 0;
    const next = () => {
      attempt++;
      const delay = Math.min(30_000, pollIntervalMs * 2 ** (lookupAttempts + attempt));
      const timer = setTimeout(() => void look(), delay);
      timer.unref();
    };
    const look = async () => {
      const client = this.ctx.client;
      const user = this.ctx.client ? this.ctx.user(sub) : undefined;
      if (!client || !user) return;
      const events = await fetchTxEvents(client, signature, this.ctx.opts.params.commitment).catch(
        () => undefined,
      );
      if (!events) {
        if (attempt < FOLLOW_UP_ATTEMPTS) next();
        else
          this.ctx.logger.error(
            { signature, subAccount: sub, userOrderId },
            'order outcome still unknown: giving up',
          );
        return;
      }
      const placed = events.orders.find(
        (o) => o.order.userOrderId === userOrderId && user.getUserAccountPublicKey().equals(o.user),
      )?.order;
      if (placed && clientOrderId !== undefined)
        this.ctx.clientOrderIds(sub).set(placed.orderId, clientOrderId);
      const fills = events.actions
        .map((r) => this.stream.recordFill(r, sub, user))
        .filter(
          (f): f is Fill => f !== undefined && placed !== undefined && f.orderId === String(placed.orderId),
        );
      if (!placed) return;
      await user.fetchAccounts();
      if (user.getOrder(placed.orderId)) return; // resting: account updates report it
      const order = toCoreOrder(placed, {
        subAccount: sub,
        market: this.ctx.symbolOf(placed.marketIndex) ?? String(placed.marketIndex),
        now: await this.ctx.nowFromSlot(),
        ...(clientOrderId !== undefined && { clientOrderId }),
      });
      order.filledBase = maxBig(
        order.filledBase,
        fills.reduce((sum, f) => sum + f.baseAmount, 0n),
      );
      order.status = order.filledBase >= order.baseAmount ? 'filled' : 'cancelled';
      this.ctx.logger.info(
        { signature, orderId: order.orderId, clientOrderId, status: order.status },
        'unknown order outcome settled from its transaction',
      );
      this.stream.deliver({ type: 'order', order });
    };
    next();
  }

  /** The transaction's events; `getTransaction` retried with a bound while it answers null. */
  private async txEvents(signature: string): Promise<TxEvents | undefined> {
    const { lookupAttempts, pollIntervalMs } = this.ctx.opts.params.confirm;
    for (let attempt = 1; attempt <= lookupAttempts; attempt++) {
      try {
        const events = await fetchTxEvents(this.ctx.need(), signature, this.ctx.opts.params.commitment);
        if (events) return events;
      } catch (err) {
        this.ctx.logger.warn({ err, signature }, 'transaction events unreadable');
        return undefined;
      }
      if (attempt < lookupAttempts) await sleep(pollIntervalMs * 2 ** (attempt - 1));
    }
    this.ctx.logger.warn(
      { signature, attempts: lookupAttempts },
      'transaction not returned by getTransaction',
    );
    return undefined;
  }

  send(ixs: Parameters<TxSender['send']>[0]): Promise<Sent> {
    if (!this.sender) throw new Error('drift venue is not connected');
    return this.sender.send(ixs);
  }
}

/** The order a request became, for when the chain gave no order record to read it from. */
function orderOfRequest(
  request: OrderRequest,
  known: {
    orderId: string;
    clientOrderId: string | undefined;
    userOrderId: number;
    subAccount: number;
    filledBase: bigint;
    status: Order['status'];
    ts: number;
  },
): Order {
  return {
    orderId: known.orderId,
    ...(known.clientOrderId !== undefined && { clientOrderId: known.clientOrderId }),
    userOrderId: known.userOrderId,
    subAccount: known.subAccount,
    market: request.market,
    side: request.side,
    type: request.type,
    ...(request.price !== undefined && { price: request.price }),
    baseAmount: request.baseAmount,
    filledBase: known.filledBase,
    status: known.status,
    postOnly: request.postOnly ?? false,
    reduceOnly: request.reduceOnly ?? false,
    ioc: request.ioc ?? false,
    createdAt: known.ts,
    updatedAt: known.ts,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
