/**
 * Zod field schemas for config values: the fleet config uses them, and each app uses them for its
 * own `params` (with `parseAppParams`), so money and markets read the same way everywhere.
 * Messages are phrased to follow the offending value: `apps.x.subAccount: -1 is not a non-negative integer`.
 */
import { BASE_DECIMALS, findMarket, PRICE_DECIMALS, parseDecimal, QUOTE_DECIMALS } from '@drift/domain';
import { z } from 'zod';

/**
 * A decimal amount written as a string (`"150.25"`) or a whole number, converted exactly to a
 * bigint with `decimals` places. A fractional YAML number is refused: it was a float before we saw it.
 */
export function decimalField(
  decimals: number,
  opts: { min?: 'positive' | 'non-negative'; what?: string } = {},
) {
  const what = opts.what ?? 'amount';
  return z
    .union([z.string(), z.number()], { error: `is not a decimal ${what} (write it as a string, e.g. "1.5")` })
    .transform((raw, ctx) => {
      if (typeof raw === 'number' && !Number.isSafeInteger(raw)) {
        ctx.addIssue({ code: 'custom', message: `is a float: quote it as a decimal string (e.g. "${raw}")` });
        return z.NEVER;
      }
      let value: bigint;
      try {
        value = parseDecimal(String(raw), decimals);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `is not a decimal ${what} with at most ${decimals} decimal places`,
        });
        return z.NEVER;
      }
      if (opts.min === 'positive' && value <= 0n) {
        ctx.addIssue({ code: 'custom', message: `is not a positive ${what}` });
        return z.NEVER;
      }
      if (opts.min === 'non-negative' && value < 0n) {
        ctx.addIssue({ code: 'custom', message: `is not a non-negative ${what}` });
        return z.NEVER;
      }
      return value;
    });
}

/** Price, PRICE_PRECISION (1e6) bigint. */
export const priceField = (min: 'positive' | 'non-negative' = 'positive') =>
  decimalField(PRICE_DECIMALS, { min, what: 'price' });
/** Size, BASE_PRECISION (1e9) bigint. */
export const baseField = (min: 'positive' | 'non-negative' = 'positive') =>
  decimalField(BASE_DECIMALS, { min, what: 'base amount' });
/** Quote amount (USDC), QUOTE_PRECISION (1e6) bigint. */
export const quoteField = (min: 'positive' | 'non-negative' = 'positive') =>
  decimalField(QUOTE_DECIMALS, { min, what: 'quote amount' });

export const intField = (min = 0) =>
  z
    .int({ error: min === 0 ? 'is not a non-negative integer' : `is not an integer >= ${min}` })
    .min(min, { error: min === 0 ? 'is not a non-negative integer' : `is not an integer >= ${min}` });

/** Milliseconds, a positive integer. */
export const msField = () => intField(1);

export const portField = () =>
  z
    .int({ error: 'is not a port number (0-65535)' })
    .min(0, { error: 'is not a port number (0-65535)' })
    .max(65535, {
      error: 'is not a port number (0-65535)',
    });

/** Basis points as a plain number (edges, volatility): may be fractional, must be finite and >= min. */
export const bpsField = (min = 0) =>
  z
    .number({ error: 'is not a number of basis points' })
    .refine((v) => Number.isFinite(v) && v >= min, { error: `is not a number of basis points >= ${min}` });

/** A market symbol the fleet knows (`SOL-PERP`). */
export const marketField = () =>
  z.string({ error: 'is not a market symbol' }).refine((s) => findMarket(s) !== undefined, {
    error: 'is not a known market (see MARKETS in @drift/domain)',
  });

/** A map keyed by known market symbols: `{ SOL-PERP: ..., BTC-PERP: ... }`. */
export const perMarket = <T extends z.ZodType>(value: T) =>
  z.record(
    z.string().refine((s) => findMarket(s) !== undefined, {
      error: 'is not a known market (see MARKETS in @drift/domain)',
    }),
    value,
  );

/** Sub-account number (Drift sub-account id), a non-negative integer. */
export const subAccountField = () => intField(0);
