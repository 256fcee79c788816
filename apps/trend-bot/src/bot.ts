/**
 * The trend bot: oracle prices from the venue become candles, each closed candle goes through the
 * rule (rule.ts), and the rule's target position is traded: the difference between the target and
 * the sub-account's position (plus its orders still working) is sent as one capped order through
 * order-management.
 */
import {
  absBig,
  applyBps,
  findMarket,
  formatBase,
  formatPrice,
  formatQuote,
  type MarketSpec,
  type OraclePrice,
  roundToStep,
  type Side,
  type TradingStateName,
  type Unsubscribe,
  type Venue,
} from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Bot, BotStatus } from 'bot-runtime';
import type { OrderManager } from 'order-management';
import { type Candle, CandleBuilder } from './indicators.js';
import { ruleParamsFor, type TrendBotParams } from './params.js';
import { TrendRule, type TrendSignal } from './rule.js';

export interface TrendBotDeps {
  venue: Venue;
  orders: OrderManager;
  logger: LoggerLike;
  params: TrendBotParams;
  /** order-management's freshness guard: while the data is stale nothing is traded. */
  freshness?: { readonly stale: boolean };
  bot?: string;
}

interface MarketState {
  spec: MarketSpec;
  candles: CandleBuilder;
  rule: TrendRule;
  target: bigint;
  oracle?: OraclePrice;
  /** Start of the candle whose signal set the target. */
  bar?: number;
  /** A rebalance in flight, and whether another was asked for meanwhile. */
  running?: Promise<void>;
  again: boolean;
}

/** How often the account's equity (the PnL in the status) is read, ms. */
const EQUITY_MS = 1_000;

export class TrendBot implements Bot {
  readonly name: string;
  readonly tickMs = EQUITY_MS;
  private readonly log: LoggerLike;
  private readonly markets = new Map<string, MarketState>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly counts = { candles: 0, entries: 0, stops: 0, trades: 0, tradeErrors: 0 };
  private readonly outcomes: Record<string, number> = {};
  private unsubscribe: Unsubscribe | undefined;
  private startEquity = 0n;
  private equity = 0n;
  private lastState: TradingStateName = 'active';
  private stopped = false;

  constructor(private readonly deps: TrendBotDeps) {
    this.name = deps.bot ?? 'trend-bot';
    this.log = deps.logger.child({ component: 'trend-bot', bot: this.name });
  }

  /** Sizes the risk budget from the account's equity now, then follows the oracle. */
  async start(): Promise<void> {
    const { venue, params } = this.deps;
    this.startEquity = (await venue.getAccount()).equity;
    this.equity = this.startEquity;
    for (const market of params.markets) {
      const spec = venue.markets().find((s) => s.symbol === market) ?? findMarket(market);
      if (!spec) throw new Error(`trend-bot: market ${market} is unknown to the venue`);
      const rule = new TrendRule(ruleParamsFor(params, market, this.startEquity), spec);
      const position = (await venue.getPositions({ market })).find((p) => p.market === market);
      // A position left from a previous run is kept until the rule decides otherwise.
      this.markets.set(market, {
        spec,
        candles: new CandleBuilder(params.timeframe),
        rule,
        target: position?.baseAmount ?? 0n,
        again: false,
      });
      this.onOracle(await venue.getOraclePrice(market));
    }
    this.unsubscribe = venue.subscribe((event) => {
      if (event.type === 'oracle') this.onOracle(event.price);
    });
    this.log.info(
      {
        markets: params.markets,
        timeframeMs: params.timeframe,
        riskQuote: formatQuote(ruleParamsFor(params, params.markets[0]!, this.startEquity).riskQuote),
      },
      'trend bot started',
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.idle();
  }

  /** Resolves once no trade is in flight (tests step the simulator with it). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  target(market: string): bigint {
    return this.markets.get(market)?.target ?? 0n;
  }

  /** Every second: the account's equity, for the PnL the status shows. */
  async tick(): Promise<void> {
    this.equity = (await this.deps.venue.getAccount()).equity;
  }

  /** PnL as of the last equity read (at most `tickMs` old). */
  status(): BotStatus {
    return {
      pnlQuote: formatQuote(this.equity - this.startEquity),
      counters: {
        ...this.counts,
        ...Object.fromEntries(Object.entries(this.outcomes).map(([k, v]) => [`trade.${k}`, v])),
      },
    };
  }

  counters() {
    return { ...this.counts, outcomes: { ...this.outcomes } };
  }

  private onOracle(price: OraclePrice): void {
    const m = this.markets.get(price.market);
    if (!m || this.stopped) return;
    m.oracle = price;
    const state = this.deps.orders.tradingState;
    const resumed = state !== this.lastState && state === 'active';
    this.lastState = state;
    const closed = m.candles.push(price.ts, price.price);
    if (closed) this.onCandle(price.market, m, closed);
    if (closed || resumed) this.rebalance(price.market, m);
  }

  private onCandle(market: string, m: MarketState, candle: Candle): void {
    this.counts.candles++;
    const signal: TrendSignal = m.rule.onCandle(candle);
    if (signal.action === 'hold') return;
    m.target = signal.target;
    m.bar = candle.start;
    if (signal.action === 'enter') this.counts.entries++;
    else this.counts.stops++;
    this.log.info(
      {
        market,
        bar: new Date(candle.start).toISOString(),
        close: formatPrice(candle.close),
        signal: signal.action === 'enter' ? `enter-${signal.side}` : 'stop',
        target: formatBase(signal.target),
        ...(signal.action === 'enter' && { stopPrice: formatPrice(signal.stopPrice) }),
      },
      'trend signal',
    );
  }

  /** Trades toward the target; one rebalance per market at a time, re-run if asked meanwhile. */
  private rebalance(market: string, m: MarketState): void {
    if (m.running) {
      m.again = true;
      return;
    }
    const work = this.trade(market, m).finally(() => {
      m.running = undefined;
      this.inflight.delete(work);
      if (m.again && !this.stopped) {
        m.again = false;
        this.rebalance(market, m);
      }
    });
    m.running = work;
    this.inflight.add(work);
  }

  private async trade(market: string, m: MarketState): Promise<void> {
    if (this.deps.orders.tradingState === 'halted') return this.count('halted');
    if (this.deps.freshness?.stale) return this.count('stale-data');
    const position = (await this.deps.venue.getPositions({ market })).find((p) => p.market === market);
    const working = this.deps.orders
      .liveOrders()
      .filter((o) => o.market === market)
      .reduce((sum, o) => sum + (o.side === 'buy' ? 1n : -1n) * (o.baseAmount - o.filledBase), 0n);
    const current = (position?.baseAmount ?? 0n) + working;
    const diff = m.target - current;
    const size = roundToStep(absBig(diff), m.spec.stepSize, 'floor');
    if (size < m.spec.minOrderSize || !m.oracle) return this.count('on-target');

    const side: Side = diff > 0n ? 'buy' : 'sell';
    const oracle = m.oracle.price;
    const slip = applyBps(oracle, this.deps.params.maxSlippageBps, 'floor');
    // Rounded toward the oracle so the tick never widens the accepted slippage.
    const price =
      side === 'buy'
        ? roundToStep(oracle + slip, m.spec.tickSize, 'floor')
        : roundToStep(oracle - slip, m.spec.tickSize, 'ceil');
    const fields = {
      market,
      bar: m.bar === undefined ? undefined : new Date(m.bar).toISOString(),
      target: formatBase(m.target),
      position: formatBase(position?.baseAmount ?? 0n),
      working: formatBase(working),
      side,
      baseAmount: formatBase(size),
      limitPrice: formatPrice(price),
      oracle: formatPrice(oracle),
    };
    try {
      const result = await this.deps.orders.place({
        market,
        side,
        type: this.deps.params.orderType,
        baseAmount: size,
        price,
        ...(this.deps.params.orderType === 'limit' && { ioc: true }),
      });
      if (result.ok) {
        this.counts.trades++;
        this.count('sent');
        this.log.info({ ...fields, orderId: result.order.clientOrderId }, 'trading toward target');
      } else {
        this.count(`refused.${result.reason}`);
        this.log.warn({ ...fields, reason: result.reason, detail: result.message }, 'trade refused');
      }
    } catch (err) {
      this.counts.tradeErrors++;
      this.log.error({ ...fields, err }, 'trade failed');
    }
  }

  private count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }
}
