/**
 * JSON on the wire: bigints as decimal strings, byte arrays as base64. Decoders read through a
 * `Reader` that knows the path it is at, so a bad message is answered with the exact field and value
 * (`order.baseAmount: "abc" is not an integer string`).
 */
import {
  type AccountState,
  type Fill,
  type MarketSpec,
  ORDER_STATUSES,
  type OraclePrice,
  type Order,
  type OrderRequest,
  type PlaceResult,
  type Position,
  type PriceLevel,
  type RejectReason,
  type Side,
  type TakerOrder,
  type TopOfBook,
  type Trade,
} from '@drift/domain';
import { DriftError } from '@drift/logging';
import type { EngineScope, MakerFill, SimEvent } from './engine.js';

export class WireError extends DriftError {
  override readonly code = 'DRIFT_ERR_SIM_WIRE_INVALID';
  /** Dotted path of the bad field; `message` for the message as a whole. */
  readonly field: string;

  constructor(
    field: string,
    readonly value: unknown,
    problem: string,
  ) {
    super(`${field || 'message'}: ${show(value)} ${problem}`);
    this.name = 'WireError';
    this.field = field || 'message';
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Serializes any engine value for the wire. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = key === '' ? v : this[key];
    if (typeof original === 'bigint') return original.toString();
    if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
    return v;
  });
}

const INTEGER = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class Reader {
  constructor(
    private readonly value: unknown,
    readonly path = '',
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new WireError(path, value, 'is not an object');
  }

  private at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  raw(name: string): unknown {
    return (this.value as Record<string, unknown>)[name];
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined && this.raw(name) !== null;
  }

  str(name: string): string {
    const v = this.raw(name);
    if (typeof v !== 'string' || v === '') throw new WireError(this.at(name), v, 'is not a non-empty string');
    return v;
  }

  optStr(name: string): string | undefined {
    return this.has(name) ? this.str(name) : undefined;
  }

  int(name: string): number {
    const v = this.raw(name);
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new WireError(this.at(name), v, 'is not an integer');
    return v;
  }

  optInt(name: string): number | undefined {
    return this.has(name) ? this.int(name) : undefined;
  }

  /** A non-negative integer (sub-accounts, limits, slots). */
  nat(name: string): number {
    const v = this.int(name);
    if (v < 0) throw new WireError(this.at(name), v, 'must be >= 0');
    return v;
  }

  optNat(name: string): number | undefined {
    return this.has(name) ? this.nat(name) : undefined;
  }

  big(name: string): bigint {
    const v = this.raw(name);
    if (typeof v !== 'string' || !INTEGER.test(v))
      throw new WireError(this.at(name), v, 'is not an integer string (bigints travel as decimal strings)');
    return BigInt(v);
  }

  optBig(name: string): bigint | undefined {
    return this.has(name) ? this.big(name) : undefined;
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    if (typeof v !== 'boolean') throw new WireError(this.at(name), v, 'is not a boolean');
    return v;
  }

  optBool(name: string): boolean | undefined {
    return this.has(name) ? this.bool(name) : undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (typeof v !== 'string' || !allowed.includes(v as T))
      throw new WireError(this.at(name), v, `is not one of ${allowed.join(', ')}`);
    return v as T;
  }

  bytes(name: string): Uint8Array {
    const v = this.raw(name);
    if (typeof v !== 'string' || !BASE64.test(v)) throw new WireError(this.at(name), v, 'is not base64');
    return new Uint8Array(Buffer.from(v, 'base64'));
  }

  optBytes(name: string): Uint8Array | undefined {
    return this.has(name) ? this.bytes(name) : undefined;
  }

  obj(name: string): Reader {
    return new Reader(this.raw(name), this.at(name));
  }

  optObj(name: string): Reader | undefined {
    return this.has(name) ? this.obj(name) : undefined;
  }

  list<T>(name: string, read: (item: unknown, path: string) => T): T[] {
    const v = this.raw(name);
    if (!Array.isArray(v)) throw new WireError(this.at(name), v, 'is not an array');
    return v.map((item, i) => read(item, `${this.at(name)}[${i}]`));
  }

  optList<T>(name: string, read: (item: unknown, path: string) => T): T[] | undefined {
    return this.has(name) ? this.list(name, read) : undefined;
  }
}

export const readString = (item: unknown, path: string): string => {
  if (typeof item !== 'string' || item === '') throw new WireError(path, item, 'is not a non-empty string');
  return item;
};

export const readNat = (item: unknown, path: string): number => {
  if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0)
    throw new WireError(path, item, 'is not an integer >= 0');
  return item;
};

const SIDES: readonly Side[] = ['buy', 'sell'];
const ORDER_TYPES = ['limit', 'market'] as const;
const REJECT_REASONS: readonly RejectReason[] = [
  'unknown-market',
  'invalid-size',
  'invalid-price',
  'price-off-tick',
  'insufficient-margin',
  'reduce-only-increases',
  'post-only-would-cross',
  'auction-ended',
  'order-not-found',
  'order-expired',
  'duplicate-client-id',
  'halted',
  'risk-limit',
  'rate-limited',
  'venue-error',
];

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function readOrderRequest(r: Reader): OrderRequest {
  const request: OrderRequest = {
    market: r.str('market'),
    side: r.oneOf('side', SIDES),
    type: r.oneOf('type', ORDER_TYPES),
    baseAmount: r.big('baseAmount'),
  };
  assign(request, 'price', r.optBig('price'));
  assign(request, 'postOnly', r.optBool('postOnly'));
  assign(request, 'ioc', r.optBool('ioc'));
  assign(request, 'reduceOnly', r.optBool('reduceOnly'));
  assign(request, 'clientOrderId', r.optStr('clientOrderId'));
  assign(request, 'userOrderId', r.optNat('userOrderId'));
  assign(request, 'maxTs', r.optNat('maxTs'));
  return request;
}

export function readScope(r: Reader): EngineScope & { sinceTs?: number } {
  const scope: EngineScope & { sinceTs?: number } = {};
  assign(scope, 'subAccount', r.optNat('subAccount'));
  assign(scope, 'market', r.optStr('market'));
  assign(scope, 'sinceTs', r.optNat('sinceTs'));
  return scope;
}

export function readTakerOrder(r: Reader): TakerOrder {
  const a = r.obj('auction');
  const order: TakerOrder = {
    uuid: r.str('uuid'),
    source: r.oneOf('source', ['swift', 'auction'] as const),
    market: r.str('market'),
    side: r.oneOf('side', SIDES),
    baseAmount: r.big('baseAmount'),
    auction: {
      startPrice: a.big('startPrice'),
      endPrice: a.big('endPrice'),
      startSlot: a.nat('startSlot'),
      durationSlots: a.nat('durationSlots'),
    },
    taker: r.str('taker'),
    receivedAt: r.nat('receivedAt'),
  };
  assign(order, 'message', r.optBytes('message'));
  assign(order, 'signature', r.optBytes('signature'));
  return order;
}

export function readMakerFill(r: Reader): MakerFill {
  const fill: MakerFill = {
    price: r.big('price'),
    baseAmount: r.big('baseAmount'),
    subAccount: r.nat('subAccount'),
  };
  assign(fill, 'decisionUs', r.optNat('decisionUs'));
  return fill;
}

export function readOrder(r: Reader): Order {
  const order: Order = {
    orderId: r.str('orderId'),
    subAccount: r.int('subAccount'),
    market: r.str('market'),
    side: r.oneOf('side', SIDES),
    type: r.oneOf('type', ORDER_TYPES),
    baseAmount: r.big('baseAmount'),
    filledBase: r.big('filledBase'),
    status: r.oneOf('status', ORDER_STATUSES),
    postOnly: r.bool('postOnly'),
    reduceOnly: r.bool('reduceOnly'),
    ioc: r.bool('ioc'),
    createdAt: r.nat('createdAt'),
    updatedAt: r.nat('updatedAt'),
  };
  assign(order, 'clientOrderId', r.optStr('clientOrderId'));
  assign(order, 'userOrderId', r.optNat('userOrderId'));
  assign(order, 'price', r.optBig('price'));
  assign(order, 'maxTs', r.optNat('maxTs'));
  return order;
}

export function readFill(r: Reader): Fill {
  const fill: Fill = {
    fillId: r.str('fillId'),
    orderId: r.str('orderId'),
    subAccount: r.int('subAccount'),
    market: r.str('market'),
    side: r.oneOf('side', SIDES),
    price: r.big('price'),
    baseAmount: r.big('baseAmount'),
    quoteAmount: r.big('quoteAmount'),
    fee: r.big('fee'),
    liquidity: r.oneOf('liquidity', ['maker', 'taker'] as const),
    ts: r.nat('ts'),
  };
  assign(fill, 'clientOrderId', r.optStr('clientOrderId'));
  return fill;
}

export function readPosition(r: Reader): Position {
  return {
    subAccount: r.int('subAccount'),
    market: r.str('market'),
    baseAmount: r.big('baseAmount'),
    quoteEntryAmount: r.big('quoteEntryAmount'),
    entryPrice: r.big('entryPrice'),
    realizedPnl: r.big('realizedPnl'),
    unrealizedPnl: r.big('unrealizedPnl'),
  };
}

export function readAccount(r: Reader): AccountState {
  return {
    subAccount: r.int('subAccount'),
    collateral: r.big('collateral'),
    unrealizedPnl: r.big('unrealizedPnl'),
    equity: r.big('equity'),
    grossNotional: r.big('grossNotional'),
    initialMarginRequirement: r.big('initialMarginRequirement'),
    maintenanceMarginRequirement: r.big('maintenanceMarginRequirement'),
    freeMargin: r.big('freeMargin'),
    leverageBps: r.big('leverageBps'),
    positions: r.list('positions', (item, path) => readPosition(new Reader(item, path))),
  };
}

export function readOracle(r: Reader): OraclePrice {
  return { market: r.str('market'), price: r.big('price'), ts: r.nat('ts'), slot: r.nat('slot') };
}

export function readLevel(r: Reader): PriceLevel {
  return { price: r.big('price'), baseAmount: r.big('baseAmount') };
}

export function readTopOfBook(r: Reader): TopOfBook {
  const top: TopOfBook = { market: r.str('market') };
  const bid = r.optObj('bestBid');
  const ask = r.optObj('bestAsk');
  if (bid) top.bestBid = readLevel(bid);
  if (ask) top.bestAsk = readLevel(ask);
  return top;
}

export function readTrade(r: Reader): Trade {
  return {
    market: r.str('market'),
    price: r.big('price'),
    baseAmount: r.big('baseAmount'),
    side: r.oneOf('side', SIDES),
    ts: r.nat('ts'),
  };
}

export function readMarketSpec(r: Reader): MarketSpec {
  return {
    symbol: r.str('symbol'),
    marketIndex: r.nat('marketIndex'),
    tickSize: r.big('tickSize'),
    stepSize: r.big('stepSize'),
    minOrderSize: r.big('minOrderSize'),
    initialMarginBps: r.nat('initialMarginBps'),
    maintenanceMarginBps: r.nat('maintenanceMarginBps'),
  };
}

export function readPlaceResult(r: Reader): PlaceResult {
  if (r.bool('ok')) {
    return {
      ok: true,
      order: readOrder(r.obj('order')),
      fills: r.list('fills', (item, path) => readFill(new Reader(item, path))),
    };
  }
  return { ok: false, reason: r.oneOf('reason', REJECT_REASONS), message: r.str('message') };
}

export function readEvent(r: Reader): SimEvent {
  const type = r.oneOf('type', ['fill', 'order', 'oracle', 'trade', 'taker', 'halt', 'resume'] as const);
  switch (type) {
    case 'fill':
      return { type, fill: readFill(r.obj('fill')) };
    case 'order':
      return { type, order: readOrder(r.obj('order')) };
    case 'oracle':
      return { type, price: readOracle(r.obj('price')) };
    case 'trade':
      return { type, trade: readTrade(r.obj('trade')) };
    case 'taker':
      return { type, order: readTakerOrder(r.obj('order')) };
    case 'halt':
      return { type, reason: r.str('reason') };
    case 'resume':
      return { type };
  }
}
