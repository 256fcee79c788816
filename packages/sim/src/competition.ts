/**
 * Rival makers: the other JIT makers and the resting liquidity that race a sub-account for every
 * auction, so that a paper maker's fill rate depends on its price and its speed as it does on
 * Drift. Seeded like the rest of the sim: the same auctions draw the same bids.
 *
 * Every rival sees the auction when it opens, quotes its own edge over the oracle of that moment,
 * watches the auction price slot by slot (linear start -> end, as `auctionPriceAt`), and from the
 * first slot whose price pays its edge needs `latency` ms to land its fill. A sub-account's fill
 * lands `decision time + landingDelayMs` after the start of the slot it is sent in. Whoever lands
 * first fills first (a tie goes to the rival); a fill landing at or after the auction's end is too
 * late. The fill price is the auction price of the landing slot.
 */
import { divRound, type MarketSpec, minBig, type Side } from '@drift/domain';
import { type AuctionTerms, auctionPriceAt } from './auction.js';
import type { Prng } from './prng.js';

/** Inclusive range a value is drawn from, uniformly. */
export interface DrawRange {
  min: number;
  max: number;
}

export interface RivalMaker {
  name: string;
  /** Chance it bids on a given auction, 0..1. */
  participation: number;
  /** Edge it keeps over the oracle at the auction's start, bps (>= 0). */
  edgeBps: DrawRange;
  /** From the slot whose price pays its edge to its fill landing, ms (>= 0). */
  latencyMs: DrawRange;
  /** Largest share of the taker order it takes, (0, 1]. */
  maxShare: number;
}

export interface CompetitionConfig {
  rivals: RivalMaker[];
  /** Network and landing delay of a sub-account's fill transaction, ms, added to its decision time. */
  landingDelayMs: number;
}

/**
 * The fleet's default field: three fast JIT makers that want a small edge, a slower one, and resting
 * (DLOB) liquidity that is always there but wants more. With the auction's defaults (oracle -2 to
 * +30 bps over 10 slots, 3.2 bps a slot) a maker asking 4 bps can fill from slot 2 and loses most
 * races to the fast rivals; asking less fills earlier and wins more, asking more wins less.
 */
export const DEFAULT_RIVALS: readonly RivalMaker[] = [
  rival('jit-hft', 0.5, [1, 5], [10, 120], 1),
  rival('jit-fast', 0.7, [0.5, 4], [50, 250], 1),
  rival('jit-wide', 0.6, [2, 8], [20, 200], 1),
  rival('jit-slow', 0.5, [0, 3], [300, 900], 0.5),
  rival('resting', 0.8, [6, 15], [0, 0], 0.6),
];

function rival(
  name: string,
  participation: number,
  [edgeMin, edgeMax]: [number, number],
  [latencyMin, latencyMax]: [number, number],
  maxShare: number,
): RivalMaker {
  return {
    name,
    participation,
    edgeBps: { min: edgeMin, max: edgeMax },
    latencyMs: { min: latencyMin, max: latencyMax },
    maxShare,
  };
}

export const DEFAULT_LANDING_DELAY_MS = 150;

/** One rival's fill of one auction, decided when the auction opens. */
export interface RivalBid {
  rival: string;
  /** Venue time (ms since slot 0's start) its fill lands. */
  landMs: number;
  landSlot: number;
  price: bigint;
  baseAmount: bigint;
}

export type AuctionView = AuctionTerms & { baseAmount: bigint };

export class Competition {
  constructor(
    private readonly config: CompetitionConfig,
    private readonly slotMs: number,
    private readonly prng: Prng,
  ) {}

  /** Every rival's bid on a new auction, earliest landing first. Draws the same numbers whoever bids. */
  bidsFor(auction: AuctionView, oracle: bigint, spec: MarketSpec): RivalBid[] {
    const bids: RivalBid[] = [];
    const endSlot = auction.startSlot + auction.durationSlots;
    for (const rival of this.config.rivals) {
      const joins = this.prng.nextFloat() < rival.participation;
      const edge = draw(rival.edgeBps, this.prng.nextFloat());
      const latency = draw(rival.latencyMs, this.prng.nextFloat());
      if (!joins) continue;
      const required = requiredPrice(auction.side, oracle, edge, spec.tickSize);
      const priceSlot = firstPayingSlot(auction, required, spec.tickSize);
      if (priceSlot === undefined) continue;
      const landMs = priceSlot * this.slotMs + Math.round(latency);
      const landSlot = Math.floor(landMs / this.slotMs);
      if (landSlot >= endSlot) continue;
      const share = divRound(
        auction.baseAmount * BigInt(Math.round(rival.maxShare * 1e6)),
        1_000_000n * spec.stepSize,
        'floor',
      );
      const baseAmount = minBig(share * spec.stepSize, auction.baseAmount);
      if (baseAmount < spec.minOrderSize) continue;
      bids.push({
        rival: rival.name,
        landMs,
        landSlot,
        price: auctionPriceAt(auction, landSlot, spec.tickSize),
        baseAmount,
      });
    }
    return bids.sort((a, b) => a.landMs - b.landMs);
  }

  /** When a sub-account's fill sent in `slot` after `decisionUs` of its own work lands. */
  landing(slot: number, decisionUs = 0): { landMs: number; landSlot: number } {
    const landMs = slot * this.slotMs + Math.max(0, decisionUs) / 1000 + this.config.landingDelayMs;
    return { landMs, landSlot: Math.floor(landMs / this.slotMs) };
  }
}

function draw(range: DrawRange, u: number): number {
  return range.min + (range.max - range.min) * u;
}

/** The maker's worst acceptable price: `edgeBps` beyond the oracle, on the maker's side, on the tick. */
function requiredPrice(takerSide: Side, oracle: bigint, edgeBps: number, tickSize: bigint): bigint {
  const edge = divRound(oracle * BigInt(Math.round(edgeBps * 100)), 1_000_000n, 'ceil');
  // The taker buys: the maker sells at oracle + edge or more (rounded up), and the mirror for a sell.
  return takerSide === 'buy'
    ? divRound(oracle + edge, tickSize, 'ceil') * tickSize
    : divRound(oracle - edge, tickSize, 'floor') * tickSize;
}

/** The first auction slot whose price gives the maker at least `required`. */
function firstPayingSlot(auction: AuctionTerms, required: bigint, tickSize: bigint): number | undefined {
  for (let s = auction.startSlot; s < auction.startSlot + auction.durationSlots; s++) {
    const price = auctionPriceAt(auction, s, tickSize);
    if (auction.side === 'buy' ? price >= required : price <= required) return s;
  }
  return undefined;
}
