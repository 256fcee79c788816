/**
 * The trend rule, on closed candles:
 * - enter long when the fast EMA crosses above the slow EMA, short when it crosses below
 *   (a cross against an open position reverses it);
 * - size so that hitting the stop loses `riskQuote`: size = riskQuote / (stopAtr x ATR),
 *   capped at `maxPositionBase` and rounded down to the market's step;
 * - stop-loss at entry -/+ stopAtr x ATR (fixed at entry), checked on every closed candle;
 *   after a stop the bot stays flat until the next cross (a cross on the stop's own candle
 *   enters at once).
 * The output is the target position; the bot trades the difference.
 */
import { BASE_PRECISION, divRound, type MarketSpec, minBig, roundToStep } from '@drift/core';
import { Atr, type Candle, Ema } from './indicators.js';

export interface TrendParams {
  fastPeriod: number;
  slowPeriod: number;
  atrPeriod: number;
  /** Stop distance in ATRs, as tenths (15 = 1.5 ATR) to stay in integers. */
  stopAtrTenths: number;
  /** Quote lost when the stop is hit, QUOTE_PRECISION. */
  riskQuote: bigint;
  maxPositionBase: bigint;
}

export type TrendSignal =
  | { action: 'hold' }
  | { action: 'enter'; side: 'long' | 'short'; target: bigint; stopPrice: bigint; candle: Candle }
  | { action: 'exit'; reason: 'stop'; target: 0n; candle: Candle };

export class TrendRule {
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly atr: Atr;
  private candles = 0;
  private lastDiffSign = 0;
  position: { side: 'long' | 'short'; size: bigint; stopPrice: bigint } | undefined;

  constructor(
    private readonly params: TrendParams,
    private readonly market: MarketSpec,
  ) {
    if (params.fastPeriod >= params.slowPeriod) throw new RangeError('fastPeriod must be below slowPeriod');
    this.fast = new Ema(params.fastPeriod);
    this.slow = new Ema(params.slowPeriod);
    this.atr = new Atr(params.atrPeriod);
  }

  onCandle(c: Candle): TrendSignal {
    this.candles++;
    const fast = this.fast.update(c.close);
    const slow = this.slow.update(c.close);
    const atr = this.atr.update(c);

    let stopped = false;
    if (this.position) {
      const { side, stopPrice } = this.position;
      stopped = (side === 'long' && c.close <= stopPrice) || (side === 'short' && c.close >= stopPrice);
      if (stopped) this.position = undefined;
    }

    const sign = fast > slow ? 1 : fast < slow ? -1 : 0;
    const warm = this.candles >= this.params.slowPeriod && atr !== undefined && atr > 0n;
    // EMAs are seeded equal, so the first divergence after warm-up counts as a cross.
    const crossed = sign !== 0 && sign !== this.lastDiffSign;
    if (sign !== 0) this.lastDiffSign = sign;
    const stopExit = { action: 'exit', reason: 'stop', target: 0n, candle: c } as const;
    if (!warm || !crossed) return stopped ? stopExit : { action: 'hold' };

    const side = sign > 0 ? 'long' : 'short';
    const stopDistance = divRound(atr * BigInt(this.params.stopAtrTenths), 10n, 'ceil');
    const size = roundToStep(
      minBig(
        divRound(this.params.riskQuote * BASE_PRECISION, stopDistance, 'floor'),
        this.params.maxPositionBase,
      ),
      this.market.stepSize,
      'floor',
    );
    if (size < this.market.minOrderSize) return stopped ? stopExit : { action: 'hold' };
    const stopPrice = side === 'long' ? c.close - stopDistance : c.close + stopDistance;
    this.position = { side, size, stopPrice };
    return { action: 'enter', side, target: side === 'long' ? size : -size, stopPrice, candle: c };
  }
}
