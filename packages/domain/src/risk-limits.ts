/**
 * Risk limit evaluation, pure and in bigint: the risk-manager service (fleet verdict) and
 * order-management's pre-trade hook (`checkOrder`) both call this module, so a bot and the risk
 * manager never disagree about a limit. A value equal to its limit is inside it; one unit over breaches.
 */
import { absBig, BPS, divRound, formatBase, formatDecimal, formatQuote, quoteValue } from './precision.js';
import type { AccountState, OraclePrice, OrderRequest, RejectReason } from './trading.js';
import { type TradingStateName, worseState } from './trading-state.js';

export type RiskLimitName =
  | 'position'
  | 'grossNotional'
  | 'leverage'
  | 'dailyLoss'
  | 'staleOracle'
  | 'orderRate';

/** The trading state each limit's breach calls for. */
export type BreachStates = Record<RiskLimitName, Exclude<TradingStateName, 'active'>>;

export const DEFAULT_ON_BREACH: BreachStates = {
  position: 'reducing',
  grossNotional: 'reducing',
  leverage: 'reducing',
  dailyLoss: 'halted',
  staleOracle: 'reducing',
  orderRate: 'halted',
};

/** The limits this module reads (the fleet config's `risk` fits; `onBreach` defaults as in the config). */
export interface LimitSet {
  /** Largest |position| per market per sub-account, BASE_PRECISION. */
  maxPositionBase: Record<string, bigint>;
  /** Largest sum of |position notional| over the fleet, QUOTE_PRECISION. */
  maxGrossNotional: bigint;
  /** Largest grossNotional / equity per sub-account, bps (5x = 50_000). */
  maxLeverageBps: bigint;
  /** Largest fall of fleet equity from the day's start equity, QUOTE_PRECISION. */
  dailyLossLimit: bigint;
  /** The freshness bound, ms: an oracle (venue time) or a slot older than this is stale; bots stop adding risk. */
  staleOracleMs: number;
  /** Orders placed per sub-account in any 60 s. */
  maxOrdersPerMinute: number;
  /** Trading state each breach recommends. */
  onBreach?: Partial<BreachStates>;
}

/** What the fleet looks like now. */
export interface RiskSnapshot {
  /** Venue time, ms (oracle ages are measured against it). */
  now: number;
  /** Every sub-account of the fleet. */
  accounts: readonly AccountState[];
  /** Latest oracle reading per market. */
  oracles: Readonly<Record<string, OraclePrice>>;
  /** Fleet equity at the start of the trading day, QUOTE_PRECISION. */
  dayStartEquity: bigint;
  /** Orders placed in the last 60 s, per sub-account. */
  ordersLastMinute: Readonly<Record<number, number>>;
}

export interface Breach {
  limit: RiskLimitName;
  /** Trading state this breach calls for. */
  severity: Exclude<TradingStateName, 'active'>;
  market?: string;
  subAccount?: number;
  /**
   * Measured value and its limit, in the limit's unit: base (1e9) for position, quote (1e6) for gross
   * notional and daily loss, bps for leverage, ms for oracle age, orders for order rate.
   * `value` is absent when there is nothing to measure (no oracle reading at all).
   */
  value?: bigint;
  max: bigint;
  /** `sub-account 1 SOL-PERP position 520 > max 500` */
  message: string;
}

export interface RiskVerdict {
  /** The worst severity among the breaches; `active` when there are none. */
  state: TradingStateName;
  breaches: Breach[];
}

export type OrderCheck = { ok: true } | { ok: false; reason: RejectReason; message: string };

/** An order to check: the sub-account it trades must be known. */
export type ProposedOrder = Pick<OrderRequest, 'market' | 'side' | 'baseAmount' | 'reduceOnly'> & {
  subAccount: number;
};

/** Evaluates every limit on the snapshot. */
export function evaluateRisk(limits: LimitSet, snapshot: RiskSnapshot): RiskVerdict {
  const breaches = [
    ...positionBreaches(limits, snapshot),
    ...grossNotionalBreaches(limits, snapshot),
    ...leverageBreaches(limits, snapshot),
    ...dailyLossBreaches(limits, snapshot),
    ...staleOracleBreaches(limits, snapshot),
    ...orderRateBreaches(limits, snapshot),
  ];
  return { state: worstState(breaches), breaches };
}

/** The more restrictive of trading states (a persisted halt beats a clean verdict). */
export function worstState(
  breaches: readonly { severity: TradingStateName }[],
  floor: TradingStateName = 'active',
) {
  return breaches.reduce<TradingStateName>((s, b) => worseState(s, b.severity), floor);
}

/**
 * Pre-trade check. `halted`: nothing passes. `reducing`: only orders that shrink the sub-account's
 * position without flipping it (see `reducesExposure`). `active`: the order passes if, once filled, it keeps its position,
 * the fleet's gross notional and its sub-account's leverage inside the limits, and its market's oracle
 * is fresh; orders that reduce exposure always pass. The order rate applies in every state.
 */
export function checkOrder(
  limits: LimitSet,
  state: TradingStateName,
  order: ProposedOrder,
  snapshot: RiskSnapshot,
): OrderCheck {
  if (state === 'halted') return reject('halted', 'trading is halted: no orders');
  if (order.baseAmount <= 0n)
    return reject('invalid-size', `base amount ${formatBase(order.baseAmount)} is not positive`);

  const placed = snapshot.ordersLastMinute[order.subAccount] ?? 0;
  if (placed + 1 > limits.maxOrdersPerMinute) {
    return reject(
      'rate-limited',
      `sub-account ${order.subAccount} placed ${placed} orders in the last minute (max ${limits.maxOrdersPerMinute})`,
    );
  }

  const current = positionBase(snapshot, order.subAccount, order.market);
  if (reducesExposure(current, order)) return { ok: true };
  if (state === 'reducing') {
    return reject(
      'risk-limit',
      `trading is reducing: only orders that reduce exposure pass (position ${formatBase(current)})`,
    );
  }

  const after = withOrderFilled(snapshot, order);
  const relevant = [
    ...positionBreaches(limits, after),
    ...grossNotionalBreaches(limits, after),
    ...leverageBreaches(limits, after),
    ...staleOracleBreaches(limits, after),
  ].filter(
    (b) =>
      (b.market === undefined || b.market === order.market) &&
      (b.subAccount === undefined || b.subAccount === order.subAccount),
  );
  const first = relevant[0];
  return first ? reject('risk-limit', `order would breach: ${first.message}`) : { ok: true };
}

/**
 * True when the order shrinks `position` (signed base) without flipping it: on the opposite side and
 * no larger than the position, or any size when reduce-only (the venue caps it at the position).
 */
export function reducesExposure(
  position: bigint,
  order: Pick<ProposedOrder, 'side' | 'baseAmount' | 'reduceOnly'>,
): boolean {
  if (position === 0n || order.baseAmount <= 0n) return false;
  const opposite = (position > 0n && order.side === 'sell') || (position < 0n && order.side === 'buy');
  return opposite && (order.reduceOnly === true || order.baseAmount <= absBig(position));
}

function reject(reason: RejectReason, message: string): OrderCheck {
  return { ok: false, reason, message };
}

function severity(limits: LimitSet, name: RiskLimitName) {
  return limits.onBreach?.[name] ?? DEFAULT_ON_BREACH[name];
}

function positionBase(snapshot: RiskSnapshot, subAccount: number, market: string): bigint {
  const account = snapshot.accounts.find((a) => a.subAccount === subAccount);
  return account?.positions.find((p) => p.market === market)?.baseAmount ?? 0n;
}

/** The snapshot as if `order` filled completely at the oracle price (fees ignored). */
function withOrderFilled(snapshot: RiskSnapshot, order: ProposedOrder): RiskSnapshot {
  const signed = order.side === 'buy' ? order.baseAmount : -order.baseAmount;
  const price = snapshot.oracles[order.market]?.price ?? 0n;
  const existing = snapshot.accounts.find((a) => a.subAccount === order.subAccount);
  const account: AccountState = existing ?? emptyAccount(order.subAccount);
  const before = account.positions.find((p) => p.market === order.market)?.baseAmount ?? 0n;
  const afterBase = before + signed;
  const notionalDelta = quoteValue(price, absBig(afterBase)) - quoteValue(price, absBig(before));
  const others = account.positions.filter((p) => p.market !== order.market);
  const updated: AccountState = {
    ...account,
    grossNotional: account.grossNotional + notionalDelta,
    positions: [
      ...others,
      {
        subAccount: order.subAccount,
        market: order.market,
        baseAmount: afterBase,
        quoteEntryAmount: 0n,
        entryPrice: 0n,
        realizedPnl: 0n,
        unrealizedPnl: 0n,
      },
    ],
  };
  return {
    ...snapshot,
    accounts: [...snapshot.accounts.filter((a) => a.subAccount !== order.subAccount), updated],
  };
}

function emptyAccount(subAccount: number): AccountState {
  return {
    subAccount,
    collateral: 0n,
    unrealizedPnl: 0n,
    equity: 0n,
    grossNotional: 0n,
    initialMarginRequirement: 0n,
    maintenanceMarginRequirement: 0n,
    freeMargin: 0n,
    leverageBps: 0n,
    positions: [],
  };
}

/** |position| per market per sub-account; a market without a configured limit allows nothing. */
function positionBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const out: Breach[] = [];
  for (const account of snapshot.accounts) {
    for (const p of account.positions) {
      const max = limits.maxPositionBase[p.market] ?? 0n;
      const size = absBig(p.baseAmount);
      if (size <= max) continue;
      out.push({
        limit: 'position',
        severity: severity(limits, 'position'),
        market: p.market,
        subAccount: account.subAccount,
        value: size,
        max,
        message: `sub-account ${account.subAccount} ${p.market} position ${formatBase(p.baseAmount)} exceeds max ${formatBase(max)}${
          limits.maxPositionBase[p.market] === undefined ? ' (no limit configured for this market)' : ''
        }`,
      });
    }
  }
  return out;
}

function grossNotionalBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const gross = snapshot.accounts.reduce((sum, a) => sum + a.grossNotional, 0n);
  if (gross <= limits.maxGrossNotional) return [];
  return [
    {
      limit: 'grossNotional',
      severity: severity(limits, 'grossNotional'),
      value: gross,
      max: limits.maxGrossNotional,
      message: `fleet gross notional ${formatQuote(gross)} exceeds max ${formatQuote(limits.maxGrossNotional)}`,
    },
  ];
}

/** grossNotional / equity per sub-account; exposure on zero or negative equity is always a breach. */
function leverageBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const out: Breach[] = [];
  for (const a of snapshot.accounts) {
    if (a.grossNotional === 0n) continue;
    // Compared exactly (cross-multiplied); the reported bps round up so a breach never reads as "3x > 3x".
    if (a.equity > 0n && a.grossNotional * BPS <= limits.maxLeverageBps * a.equity) continue;
    const bps = a.equity > 0n ? divRound(a.grossNotional * BPS, a.equity, 'ceil') : undefined;
    out.push({
      limit: 'leverage',
      severity: severity(limits, 'leverage'),
      subAccount: a.subAccount,
      ...(bps !== undefined && { value: bps }),
      max: limits.maxLeverageBps,
      message:
        bps === undefined
          ? `sub-account ${a.subAccount} holds ${formatQuote(a.grossNotional)} notional on equity ${formatQuote(a.equity)}`
          : `sub-account ${a.subAccount} leverage ${formatDecimal(bps, 4)}x exceeds max ${formatDecimal(limits.maxLeverageBps, 4)}x`,
    });
  }
  return out;
}

function dailyLossBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const equity = snapshot.accounts.reduce((sum, a) => sum + a.equity, 0n);
  const loss = snapshot.dayStartEquity - equity;
  if (loss <= limits.dailyLossLimit) return [];
  return [
    {
      limit: 'dailyLoss',
      severity: severity(limits, 'dailyLoss'),
      value: loss,
      max: limits.dailyLossLimit,
      message: `fleet lost ${formatQuote(loss)} today (equity ${formatQuote(equity)} from ${formatQuote(
        snapshot.dayStartEquity,
      )}), limit ${formatQuote(limits.dailyLossLimit)}`,
    },
  ];
}

/** Every market with a limit or a position needs a fresh oracle. */
function staleOracleBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const markets = new Set(Object.keys(limits.maxPositionBase));
  for (const a of snapshot.accounts)
    for (const p of a.positions) if (p.baseAmount !== 0n) markets.add(p.market);
  const max = BigInt(limits.staleOracleMs);
  const out: Breach[] = [];
  for (const market of markets) {
    const reading = snapshot.oracles[market];
    const age = reading ? BigInt(snapshot.now - reading.ts) : undefined;
    if (age !== undefined && age <= max) continue;
    out.push({
      limit: 'staleOracle',
      severity: severity(limits, 'staleOracle'),
      market,
      ...(age !== undefined && { value: age }),
      max,
      message:
        age === undefined
          ? `${market} has no oracle price`
          : `${market} oracle is ${age} ms old (max ${limits.staleOracleMs} ms)`,
    });
  }
  return out;
}

function orderRateBreaches(limits: LimitSet, snapshot: RiskSnapshot): Breach[] {
  const out: Breach[] = [];
  for (const [sub, count] of Object.entries(snapshot.ordersLastMinute)) {
    if (count <= limits.maxOrdersPerMinute) continue;
    out.push({
      limit: 'orderRate',
      severity: severity(limits, 'orderRate'),
      subAccount: Number(sub),
      value: BigInt(count),
      max: BigInt(limits.maxOrdersPerMinute),
      message: `sub-account ${sub} placed ${count} orders in the last minute (max ${limits.maxOrdersPerMinute})`,
    });
  }
  return out;
}
