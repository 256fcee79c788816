/**
 * Oracle price paths: a seeded random walk, or a replay of recorded (timestamp, price) points.
 * Prices are PRICE_PRECISION bigints; the only float is the random shock, turned into an integer
 * parts-per-billion move before it touches a price.
 */
import { divRound, parsePrice, roundToStep } from '@drift/domain';
import type { Prng } from './prng.js';

const HOUR_MS = 3_600_000;
const PPB = 1_000_000_000n;

export interface OraclePath {
  /** The oracle price at `ts` (ms); called with non-decreasing times. */
  priceAt(ts: number): bigint;
}

export interface RandomWalkOptions {
  startPrice: bigint;
  /** Standard deviation of the one-hour return, in basis points. */
  volatilityBps: number;
  /** Expected one-hour return, in basis points (may be negative). */
  driftBps: number;
  tickSize: bigint;
  /** Time between steps, ms. */
  stepMs: number;
}

/** Geometric random walk stepped every `stepMs`; the published price is rounded to the tick. */
export class RandomWalkPath implements OraclePath {
  private exact: bigint;
  private lastStepTs: number | undefined;
  private readonly sigmaStep: number;
  private readonly driftStep: number;

  constructor(
    private readonly options: RandomWalkOptions,
    private readonly prng: Prng,
  ) {
    if (options.startPrice <= 0n) throw new RangeError(`startPrice ${options.startPrice} must be > 0`);
    this.exact = options.startPrice;
    const dtHours = options.stepMs / HOUR_MS;
    this.sigmaStep = (options.volatilityBps / 10_000) * Math.sqrt(dtHours);
    this.driftStep = (options.driftBps / 10_000) * dtHours;
  }

  priceAt(ts: number): bigint {
    if (this.lastStepTs === undefined) this.lastStepTs = ts;
    while (ts - this.lastStepTs >= this.options.stepMs) {
      this.lastStepTs += this.options.stepMs;
      const movePpb = BigInt(Math.round((this.driftStep + this.sigmaStep * this.prng.normal()) * 1e9));
      this.exact += divRound(this.exact * movePpb, PPB, 'half-even');
      if (this.exact < this.options.tickSize) this.exact = this.options.tickSize;
    }
    return roundToStep(this.exact, this.options.tickSize, 'half-even');
  }
}

export interface ReplayPoint {
  ts: number;
  price: bigint;
}

/**
 * Replays recorded points, shifted so the first point lands on `startTs`: the price at `t` is the
 * last point at or before `t`; after the last point the last price holds.
 */
export class ReplayPath implements OraclePath {
  private index = 0;
  private readonly offset: number;

  constructor(
    private readonly points: readonly ReplayPoint[],
    startTs: number,
  ) {
    const first = points[0];
    if (!first) throw new RangeError('a replay needs at least one point');
    this.offset = startTs - first.ts;
  }

  priceAt(ts: number): bigint {
    const t = ts - this.offset;
    while (this.index + 1 < this.points.length && this.points[this.index + 1]!.ts <= t) this.index++;
    return this.points[this.index]!.price;
  }
}

/**
 * Parses `timestamp,price` lines (timestamp in ms since epoch or ISO 8601, price a decimal string;
 * an optional header line, blank lines ignored). Prices are rounded to `tickSize`. Errors name the
 * line and the value.
 */
export function parseOracleCsv(text: string, tickSize: bigint, source = 'csv'): ReplayPoint[] {
  const points: ReplayPoint[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const [tsText = '', priceText = '', ...rest] = line.split(',').map((cell) => cell.trim());
    if (points.length === 0 && i === firstNonBlank(lines) && !/^[\d]/.test(tsText)) continue; // header
    const where = `${source} line ${i + 1}`;
    if (rest.length > 0) throw new RangeError(`${where}: expected "timestamp,price", got "${line}"`);
    const ts = /^\d+$/.test(tsText) ? Number(tsText) : Date.parse(tsText);
    if (!Number.isSafeInteger(ts))
      throw new RangeError(`${where}: timestamp "${tsText}" is not ms or ISO 8601`);
    let price: bigint;
    try {
      price = roundToStep(parsePrice(priceText, 'half-even'), tickSize, 'half-even');
    } catch {
      throw new RangeError(`${where}: price "${priceText}" is not a decimal number`);
    }
    if (price <= 0n) throw new RangeError(`${where}: price "${priceText}" must be > 0`);
    const previous = points[points.length - 1];
    if (previous && ts < previous.ts)
      throw new RangeError(`${where}: timestamp ${tsText} is before the previous line's`);
    points.push({ ts, price });
  }
  if (points.length === 0) throw new RangeError(`${source}: no price points`);
  return points;
}

function firstNonBlank(lines: string[]): number {
  return lines.findIndex((line) => line.trim() !== '');
}
