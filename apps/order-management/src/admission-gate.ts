/**
 * The gate every order passes before it is journaled: the request's own sanity, the trading state
 * (`halted` refuses, `reducing` lets only exposure-reducing orders through), the bot's pre-trade
 * checks and the order-rate limit. A refusal is a `RefusedError`: nothing journaled, nothing sent.
 */
import { type OrderRequest, reducesExposure, type TradingStateName } from '@drift/domain';
import { DriftError, errorMessage } from '@drift/logging';
import type { ManagedOrder, ManagerRejectReason } from './managed-order.js';
import type { PreTradeCheck, PreTradeVerdict } from './pre-trade.js';
import type { TokenBucket } from './rate-limit.js';

/** An order refused before it reached the venue, with the reason the bot is given. */
/** An order refused before anything was journaled or sent; `reason` is the result's reject reason. */
export class RefusedError extends DriftError {
  override readonly code = 'DRIFT_ERR_ORDER_REFUSED';
  constructor(
    readonly reason: ManagerRejectReason,
    message: string,
  ) {
    super(message);
  }
}

export type ClientRequest = OrderRequest & { clientOrderId: string };

export interface AdmissionGateOptions {
  bot: string;
  subAccount: number;
  /** Order-rate limit; undefined: none. */
  bucket: TokenBucket | undefined;
  positionOf: (market: string) => Promise<bigint>;
  /** Local clock (ms), for the orders of the last minute. */
  now: () => number;
  tradingState: () => TradingStateName;
  stopping: () => boolean;
  /** True when the client id is live or journaled. */
  isKnown: (clientOrderId: string) => boolean;
  liveOrders: () => ManagedOrder[];
}

export class AdmissionGate {
  private readonly checks: PreTradeCheck[] = [];
  /** Local send times of the last minute's orders, oldest first. */
  private readonly sentTimes: number[] = [];

  constructor(private readonly opts: AdmissionGateOptions) {}

  /** Runs `check` on every order before it is sent; returns a function that removes it. */
  addCheck(check: PreTradeCheck): () => void {
    this.checks.push(check);
    return () => {
      const at = this.checks.indexOf(check);
      if (at >= 0) this.checks.splice(at, 1);
    };
  }

  /** An order was journaled and is being sent: it counts in the next checks' orders per minute. */
  recordSent(): void {
    this.sentTimes.push(this.opts.now());
  }

  /** Returns the request to send (sub-account set, reduce-only when reducing) or throws RefusedError. */
  async admit(request: ClientRequest): Promise<ClientRequest> {
    const { subAccount } = this.opts;
    if (request.subAccount !== undefined && request.subAccount !== subAccount) {
      throw new RefusedError(
        'invalid-request',
        `subAccount: ${request.subAccount} is not this manager's sub-account ${subAccount}`,
      );
    }
    if (typeof request.baseAmount !== 'bigint' || request.baseAmount <= 0n) {
      throw new RefusedError(
        'invalid-size',
        `baseAmount: ${String(request.baseAmount)} is not a positive bigint`,
      );
    }
    const outgoing = { ...request, subAccount };
    this.refuseIfUnavailable(outgoing.clientOrderId);
    if (this.opts.tradingState() === 'reducing') {
      let position: bigint;
      try {
        position = await this.opts.positionOf(outgoing.market);
      } catch (err) {
        throw new RefusedError(
          'risk-limit',
          `trading state is reducing and the position is unknown: ${errorMessage(err)}`,
        );
      }
      if (!reducesExposure(position, outgoing)) {
        throw new RefusedError(
          'risk-limit',
          `trading state is reducing: ${outgoing.side} ${outgoing.baseAmount} does not reduce position ${position}`,
        );
      }
      outgoing.reduceOnly = true;
    }
    const context = {
      bot: this.opts.bot,
      subAccount,
      request: outgoing,
      tradingState: this.opts.tradingState(),
      liveOrders: this.opts.liveOrders(),
      ordersLastMinute: this.ordersLastMinute(),
    };
    for (const check of this.checks) {
      let verdict: PreTradeVerdict;
      try {
        verdict = await check(context);
      } catch (err) {
        throw new RefusedError('risk-limit', `pre-trade check failed (refusing): ${errorMessage(err)}`);
      }
      if (!verdict.ok) throw new RefusedError(verdict.reason ?? 'risk-limit', verdict.message);
    }
    // The checks awaited: the state may have changed meanwhile.
    this.refuseIfUnavailable(outgoing.clientOrderId);
    const { bucket } = this.opts;
    if (bucket && !bucket.tryTake()) {
      throw new RefusedError(
        'rate-limited',
        `order rate limit reached; next order allowed in ${bucket.waitMs()} ms`,
      );
    }
    return outgoing;
  }

  private refuseIfUnavailable(clientOrderId: string): void {
    if (this.opts.stopping()) throw new RefusedError('halted', 'order manager is stopping');
    if (this.opts.tradingState() === 'halted') throw new RefusedError('halted', 'trading is halted');
    if (this.opts.isKnown(clientOrderId)) {
      throw new RefusedError(
        'duplicate-client-id',
        `clientOrderId: ${clientOrderId} is already in the journal; an intent is never sent twice`,
      );
    }
  }

  private ordersLastMinute(): number {
    const cutoff = this.opts.now() - 60_000;
    while (this.sentTimes.length > 0 && (this.sentTimes[0] ?? 0) <= cutoff) this.sentTimes.shift();
    return this.sentTimes.length;
  }
}
