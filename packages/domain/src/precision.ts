/**
 * Drift's fixed-point units and the one place human decimals become bigints and back.
 * Nothing else in the fleet parses or prints money: a float never touches a price or a size.
 */

/** Decimal places of each unit. */
export const PRICE_DECIMALS = 6;
export const BASE_DECIMALS = 9;
export const QUOTE_DECIMALS = 6;

export const PRICE_PRECISION = 10n ** BigInt(PRICE_DECIMALS);
export const BASE_PRECISION = 10n ** BigInt(BASE_DECIMALS);
export const QUOTE_PRECISION = 10n ** BigInt(QUOTE_DECIMALS);
/** Basis points in one. */
export const BPS = 10_000n;

/**
 * How a value that does not fit the unit is rounded:
 * - `exact`: refuse (throw) instead of rounding — for config and user input;
 * - `floor` / `ceil`: toward -inf / +inf — use the one that is conservative for the caller;
 * - `trunc`: toward zero;
 * - `half-even`: banker's rounding, unbiased over many values — for reporting.
 */
export type Rounding = 'exact' | 'floor' | 'ceil' | 'trunc' | 'half-even';

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Signed division with an explicit rounding rule. */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divRound(-numerator, -denominator, rounding);
  const q = numerator / denominator; // truncates toward zero
  const r = numerator % denominator;
  if (r === 0n) return q;
  switch (rounding) {
    case 'exact':
      throw new RangeError(`${numerator}/${denominator} is not exact`);
    case 'trunc':
      return q;
    case 'floor':
      return numerator < 0n ? q - 1n : q;
    case 'ceil':
      return numerator > 0n ? q + 1n : q;
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = numerator < 0n ? q - 1n : q + 1n;
      if (twice > denominator) return away;
      if (twice < denominator) return q;
      return q % 2n === 0n ? q : away;
    }
  }
}

/**
 * Parses a human decimal string ("150.25", "-0.5") into an integer with `decimals` places.
 * Numbers are refused: a float has already lost the exact value.
 */
export function parseDecimal(text: string, decimals: number, rounding: Rounding = 'exact'): bigint {
  if (typeof text !== 'string')
    throw new TypeError(`expected a decimal string, got ${typeof text} ${String(text)}`);
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a decimal number`);
  const [, sign, whole = '0', frac = ''] = m;
  const scale = 10n ** BigInt(decimals);
  const fracScale = 10n ** BigInt(frac.length);
  const exact = BigInt(whole) * fracScale + (frac ? BigInt(frac) : 0n);
  const value =
    frac.length <= decimals
      ? exact * 10n ** BigInt(decimals - frac.length)
      : divRoundOrThrow(exact * scale, fracScale, rounding, text, decimals);
  return sign === '-' ? -value : value;
}

function divRoundOrThrow(n: bigint, d: bigint, rounding: Rounding, text: string, decimals: number): bigint {
  if (rounding === 'exact' && n % d !== 0n) {
    throw new RangeError(`"${text}" has more than ${decimals} decimal places`);
  }
  return divRound(n, d, rounding);
}

/** Prints an integer with `decimals` places as a decimal string, trailing zeros trimmed ("150.25"). */
export function formatDecimal(value: bigint, decimals: number, minFractionDigits = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  let frac = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  if (frac.length < minFractionDigits) frac = frac.padEnd(minFractionDigits, '0');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export const parsePrice = (text: string, rounding: Rounding = 'exact') =>
  parseDecimal(text, PRICE_DECIMALS, rounding);
export const parseBase = (text: string, rounding: Rounding = 'exact') =>
  parseDecimal(text, BASE_DECIMALS, rounding);
export const parseQuote = (text: string, rounding: Rounding = 'exact') =>
  parseDecimal(text, QUOTE_DECIMALS, rounding);
export const formatPrice = (value: bigint) => formatDecimal(value, PRICE_DECIMALS);
export const formatBase = (value: bigint) => formatDecimal(value, BASE_DECIMALS);
export const formatQuote = (value: bigint) => formatDecimal(value, QUOTE_DECIMALS);

/** Quote value of `base` at `price`: price(1e6) * base(1e9) / 1e9 = quote(1e6). */
export function quoteValue(price: bigint, base: bigint, rounding: Rounding = 'trunc'): bigint {
  return divRound(price * base, BASE_PRECISION, rounding);
}

/** Price of `quote` paid for `base`, the inverse of `quoteValue`: quote(1e6) * 1e9 / base(1e9) = price(1e6). */
export function priceOf(quote: bigint, base: bigint, rounding: Rounding = 'half-even'): bigint {
  return divRound(quote * BASE_PRECISION, base, rounding);
}

/** `amount * bps / 10_000` with explicit rounding (fees, edges, margin ratios). */
export function applyBps(amount: bigint, bps: bigint | number, rounding: Rounding = 'trunc'): bigint {
  return divRound(amount * BigInt(bps), BPS, rounding);
}

/** Rounds a price or size to a multiple of `step` (tick or lot). */
export function roundToStep(value: bigint, step: bigint, rounding: Exclude<Rounding, 'exact'>): bigint {
  return divRound(value, step, rounding) * step;
}

export const absBig = (v: bigint) => (v < 0n ? -v : v);
export const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
