/**
 * The trend rule, on closed candles:
 * - enter on the entry signal (signals.ts): long when the fast EMA crosses above the slow EMA
 *   (or the close breaks above the Donchian channel), short on the opposite; a signal against an
 *   open position reverses it, one for the side already held is ignored;
 * - size so that hitting the stop loses `riskQuote`: size = riskQuote / (stopAtr x ATR),
 *   capped at `maxPositionBase` and rounded down to the market's step;
 * - stop-loss at entry -/+ stopAtr x ATR (fixed at entry), checked on every closed candle;
 *   after a stop the bot stays flat until the next signal (one on the stop's own candle
 *   enters at once).
 * The output is the target position; the bot trades the difference.
 */
import { BASE_PRECISION, divRound, type MarketSpec, minBig, roundToStep } from '@drift/domain';
import { Atr, type Candle } from './indicators.js';
import { type EntrySignal, entrySignal, type SignalSpec } from './signals.js';

export interface TrendParams {
  signal: SignalSpec;
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
  private readonly entry: EntrySignal;
  private readonly atr: Atr;
  private candles = 0;
  position: { side: 'long' | 'short'; size: bigint; stopPrice: bigint } | undefined;

  constructor(
    private readonly params: TrendParams,
    private readonly market: MarketSpec,
  ) {
    this.entry = entrySignal(params.signal);
    this.atr = new Atr(params.atrPeriod);
  }

  onCandle(c: Candle): TrendSignal {
    this.candles++;
    const trigger = this.entry.update(c);
    const atr = this.atr.update(c);

    let stopped = false;
    if (this.position) {
      const { side, stopPrice } = this.position;
      stopped = (side === 'long' && c.close <= stopPrice) || (side === 'short' && c.close >= stopPrice);
      if (stopped) this.position = undefined;
    }

    const warm = this.candles >= this.entry.warmup && atr !== undefined && atr > 0n;
    const side = trigger > 0 ? 'long' : 'short';
    const fresh = trigger !== 0 && this.position?.side !== side;
    const stopExit = { action: 'exit', reason: 'stop', target: 0n, candle: c } as const;
    if (!warm || !fresh) return stopped ? stopExit : { action: 'hold' };

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
