/**
 * One request -> one engine call, for both the WebSocket and the HTTP `POST /rpc` transports.
 * Requests are `{ id, type, ...params }`; every field is checked before the engine is touched, and a
 * bad one throws a WireError naming it.
 */
import type { OrderChanges } from '@drift/domain';
import type { SimEngine } from './engine.js';
import type { HistoryEntry } from './history.js';
import {
  type Reader,
  readMakerFill,
  readNat,
  readOrderRequest,
  readScope,
  readString,
  readTakerOrder,
  WireError,
} from './wire.js';

export const REQUEST_TYPES = [
  'markets',
  'clock',
  'oracle',
  'topOfBook',
  'book',
  'trades',
  'place',
  'cancel',
  'cancelAll',
  'modify',
  'fillTaker',
  'openOrders',
  'fills',
  'positions',
  'account',
  'subAccounts',
  'history',
  'halt',
  'resume',
  'stallOracle',
  'resumeOracle',
] as const;

export type RequestType = (typeof REQUEST_TYPES)[number];

export function dispatch(engine: SimEngine, request: Reader): unknown {
  const type = request.raw('type');
  if (!REQUEST_TYPES.includes(type as RequestType))
    throw new WireError('type', type, `is not a request type (${REQUEST_TYPES.join(', ')}, subscribe)`);
  const market = (r: Reader, name = 'market') => {
    const symbol = r.str(name);
    if (!engine.markets().some((m) => m.symbol === symbol))
      throw new WireError(name, symbol, 'is not a market here');
    return symbol;
  };
  switch (type as RequestType) {
    case 'markets':
      return engine.markets();
    case 'clock':
      return engine.clock();
    case 'oracle':
      return engine.oracle(market(request));
    case 'topOfBook':
      return engine.topOfBook(market(request));
    case 'book':
      return engine.book(market(request), request.optNat('levels'));
    case 'trades':
      return engine.recentTrades(market(request), request.optNat('limit'));
    case 'place':
      return engine.place(request.nat('subAccount'), readOrderRequest(request.obj('order')));
    case 'cancel':
      return engine.cancel(request.str('orderId'), readScope(request));
    case 'cancelAll':
      return engine.cancelAll(readScope(request));
    case 'modify': {
      const changes: OrderChanges = {};
      const price = request.optBig('price');
      const baseAmount = request.optBig('baseAmount');
      const maxTs = request.optNat('maxTs');
      if (price !== undefined) changes.price = price;
      if (baseAmount !== undefined) changes.baseAmount = baseAmount;
      if (maxTs !== undefined) changes.maxTs = maxTs;
      return engine.modify(request.str('orderId'), changes, readScope(request));
    }
    case 'fillTaker':
      return engine.fillTaker(readTakerOrder(request.obj('taker')), readMakerFill(request.obj('maker')));
    case 'openOrders':
      return engine.openOrdersList(readScope(request));
    case 'fills':
      return engine.fills(readScope(request));
    case 'positions':
      return engine.positions(readScope(request));
    case 'account':
      return engine.account(request.nat('subAccount'));
    case 'subAccounts':
      return engine.subAccounts();
    case 'history':
      return engine.history(request.optNat('afterSeq') ?? 0);
    case 'halt':
      engine.halt(request.str('reason'));
      return true;
    case 'resume':
      engine.resume();
      return true;
    case 'stallOracle':
    case 'resumeOracle': {
      const markets = request.optList('markets', readString)?.map((symbol, i) => {
        if (!engine.markets().some((m) => m.symbol === symbol))
          throw new WireError(`markets.${i}`, symbol, 'is not a market here');
        return symbol;
      });
      if (type === 'stallOracle') engine.stallOracles(markets);
      else engine.resumeOracles(markets);
      return engine.stalledOracleMarkets();
    }
  }
}

/** History entries after `afterSeq`, at most `limit` of them. */
export function historyPage(engine: SimEngine, afterSeq: number, limit?: number): readonly HistoryEntry[] {
  const entries = engine.history(afterSeq);
  return limit === undefined ? entries : entries.slice(0, limit);
}

/** A `subscribe` request's filter; `subAccounts` is a list or `"all"`. */
export function readSubscription(request: Reader) {
  const subAccounts =
    request.raw('subAccounts') === 'all' ? ('all' as const) : request.optList('subAccounts', readNat);
  return {
    ...(subAccounts !== undefined ? { subAccounts } : {}),
    oracle: request.optList('oracle', readString) ?? [],
    trades: request.optList('trades', readString) ?? [],
    takers: request.optList('takers', readString) ?? [],
  };
}
