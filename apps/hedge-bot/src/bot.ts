/**
 * The hedge bot: on every poll it reads the positions of the watched sub-accounts and its own,
 * nets them per market together with its hedge orders still working, and when the net leaves the
 * band sends one capped hedge order (plan.ts) through order-management. Each hedge is logged with
 * the exposure that caused it, broken down by sub-account.
 */
import { findMarket, formatBase, formatPrice, formatQuote, type MarketSpec, type Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Bot, BotStatus } from 'bot-runtime';
import type { OrderManager } from 'order-management';
import { type HedgeBotParams, hedgedMarkets, planParamsFor } from './params.js';
import { type HedgePlan, planHedge } from './plan.js';

export interface HedgeBotDeps {
  venue: Venue;
  orders: OrderManager;
  logger: LoggerLike;
  params: HedgeBotParams;
  /** order-management's freshness guard: while the data is stale no hedge is sent. */
  freshness?: { readonly stale: boolean };
  bot?: string;
}

export class HedgeBot implements Bot {
  readonly name: string;
  readonly tickMs: number;
  private readonly log: LoggerLike;
  private readonly markets: Map<string, MarketSpec>;
  /** Own sub-account first; watched ones after, without repeats. */
  private readonly subAccounts: number[];
  private readonly lastHedgeAt = new Map<string, number>();
  private readonly counts = { polls: 0, hedges: 0, hedgeErrors: 0 };
  private readonly outcomes: Record<string, number> = {};
  private startEquity: bigint | undefined;
  private pnl = 0n;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: HedgeBotDeps) {
    this.name = deps.bot ?? 'hedge-bot';
    this.tickMs = deps.params.pollIntervalMs;
    this.log = deps.logger.child({ component: 'hedge-bot', bot: this.name });
    this.subAccounts = [...new Set([deps.venue.subAccount, ...deps.params.watchSubAccounts])];
    this.markets = new Map(
      hedgedMarkets(deps.params).map((m) => {
        const spec = deps.venue.markets().find((s) => s.symbol === m) ?? findMarket(m);
        if (!spec) throw new Error(`hedge-bot: market ${m} is unknown to the venue`);
        return [m, spec];
      }),
    );
  }

  /** The first poll: the exposure is read (and hedged) before the bot reports ready. */
  start(): Promise<void> {
    return this.poll();
  }

  /** Every `pollIntervalMs`: one poll. */
  tick(): Promise<void> {
    return this.poll();
  }

  /**
   * One poll: read, net, maybe hedge each market. Overlapping calls share the running poll, so a
   * slow venue never gets two hedges for one exposure.
   */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pollOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops polling; a poll in progress finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  status(): BotStatus {
    return {
      pnlQuote: formatQuote(this.pnl),
      counters: {
        ...this.counts,
        ...Object.fromEntries(Object.entries(this.outcomes).map(([k, v]) => [`plan.${k}`, v])),
      },
    };
  }

  counters() {
    return { ...this.counts, outcomes: { ...this.outcomes } };
  }

  private async pollOnce(): Promise<void> {
    const { venue } = this.deps;
    this.counts.polls++;
    const [clock, account, ...positions] = await Promise.all([
      venue.clock(),
      venue.getAccount(),
      ...this.subAccounts.map((subAccount) => venue.getPositions({ subAccount })),
    ]);
    this.startEquity ??= account.equity;
    this.pnl = account.equity - this.startEquity;
    for (const [market, spec] of this.markets) {
      if (this.stopped) return;
      const bySub = this.subAccounts.map((sub, i) => ({
        subAccount: sub,
        base: positions[i]?.find((p) => p.market === market)?.baseAmount ?? 0n,
      }));
      // Hedges still working count as done: they are what the last poll decided for this exposure.
      const working = this.deps.orders
        .liveOrders()
        .filter((o) => o.market === market)
        .reduce((sum, o) => sum + (o.side === 'buy' ? 1n : -1n) * (o.baseAmount - o.filledBase), 0n);
      const net = bySub.reduce((sum, p) => sum + p.base, 0n) + working;
      await this.hedge(market, spec, net, working, bySub, clock.ts);
    }
  }

  private async hedge(
    market: string,
    spec: MarketSpec,
    net: bigint,
    working: bigint,
    bySub: { subAccount: number; base: bigint }[],
    now: number,
  ): Promise<void> {
    if (this.deps.orders.tradingState === 'halted') return this.count('halted');
    if (this.deps.freshness?.stale) return this.count('stale-data');
    const oracle = await this.deps.venue.getOraclePrice(market);
    const lastHedgeAt = this.lastHedgeAt.get(market);
    const plan: HedgePlan = planHedge({
      market: spec,
      netExposure: net,
      oraclePrice: oracle.price,
      params: planParamsFor(this.deps.params, market),
      now,
      ...(lastHedgeAt !== undefined && { lastHedgeAt }),
    });
    if (plan.action === 'none') return this.count(plan.reason);

    this.lastHedgeAt.set(market, now);
    const exposure = {
      market,
      netExposure: formatBase(net),
      working: formatBase(working),
      positions: Object.fromEntries(bySub.map((p) => [p.subAccount, formatBase(p.base)])),
      band: formatBase(planParamsFor(this.deps.params, market).bandBase),
      oracle: formatPrice(oracle.price),
    };
    const order = {
      side: plan.side,
      baseAmount: formatBase(plan.baseAmount),
      limitPrice: formatPrice(plan.limitPrice),
      type: this.deps.params.orderType,
    };
    try {
      const result = await this.deps.orders.place({
        market,
        side: plan.side,
        type: this.deps.params.orderType,
        baseAmount: plan.baseAmount,
        price: plan.limitPrice,
        ...(this.deps.params.orderType === 'limit' && { ioc: true }),
      });
      if (result.ok) {
        this.counts.hedges++;
        this.count('hedged');
        this.log.info(
          { ...exposure, ...order, orderId: result.order.clientOrderId, status: result.order.status },
          'hedge sent',
        );
      } else {
        this.count(`refused.${result.reason}`);
        this.log.warn(
          { ...exposure, ...order, reason: result.reason, detail: result.message },
          'hedge refused',
        );
      }
    } catch (err) {
      this.counts.hedgeErrors++;
      this.log.error({ ...exposure, ...order, err }, 'hedge failed');
    }
  }

  private count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }
}
