import type { Order } from '@drift/domain';

/** A copy of an order's current state (callers and the history never share the live object). */
export function snapshotOrder(order: Order): Order {
  const copy: Order = {
    orderId: order.orderId,
    subAccount: order.subAccount,
    market: order.market,
    side: order.side,
    type: order.type,
    baseAmount: order.baseAmount,
    filledBase: order.filledBase,
    status: order.status,
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    ioc: order.ioc,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
  if (order.price !== undefined) copy.price = order.price;
  if (order.clientOrderId !== undefined) copy.clientOrderId = order.clientOrderId;
  if (order.userOrderId !== undefined) copy.userOrderId = order.userOrderId;
  if (order.maxTs !== undefined) copy.maxTs = order.maxTs;
  return copy;
}
