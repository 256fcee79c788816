/**
 * The Swift-like stream of taker orders: seeded random takers (each an ed25519 key) sign orders at a
 * configured rate per market. Per slot the count is floor(rate) plus one more with probability
 * frac(rate), where rate = ordersPerMinute / slots per minute.
 */
import { BASE_PRECISION, divRound, type MarketSpec, maxBig, type TakerOrder } from '@drift/domain';
import { auctionBounds } from './auction.js';
import type { AuctionConfig, TakerFlowConfig } from './config.js';
import type { Prng } from './prng.js';
import { type SigningKey, signingKeyFromSeed, signTakerOrder } from './signing.js';

export class TakerFlow {
  private readonly keys: SigningKey[];
  private readonly perSlot: number;

  constructor(
    private readonly config: TakerFlowConfig,
    slotMs: number,
    private readonly prng: Prng,
  ) {
    this.keys = Array.from({ length: Math.max(1, config.takers) }, () => signingKeyFromSeed(prng.bytes(32)));
    this.perSlot = (config.ordersPerMinute * slotMs) / 60_000;
  }

  /** How many orders this slot brings for one market. */
  countThisSlot(): number {
    if (this.perSlot <= 0) return 0;
    const whole = Math.floor(this.perSlot);
    return whole + (this.prng.nextFloat() < this.perSlot - whole ? 1 : 0);
  }

  /** A new signed taker order on `spec` around `oracle`. */
  next(spec: MarketSpec, oracle: bigint, slot: number, ts: number, auction: AuctionConfig): TakerOrder {
    const side = this.prng.nextFloat() < 0.5 ? 'buy' : 'sell';
    const span = this.config.maxNotional - this.config.minNotional;
    const notional =
      this.config.minNotional + divRound(span * BigInt(this.prng.nextU32()), 4_294_967_296n, 'floor');
    const rawBase = divRound(notional * BASE_PRECISION, oracle, 'floor');
    const baseAmount = maxBig(divRound(rawBase, spec.stepSize, 'floor') * spec.stepSize, spec.minOrderSize);
    const { startPrice, endPrice } = auctionBounds(
      side,
      oracle,
      auction.startOffsetBps,
      auction.endOffsetBps,
      spec.tickSize,
    );
    const key = this.keys[this.prng.nextInt(this.keys.length)]!;
    const order: TakerOrder = {
      uuid: uuidFrom(this.prng.bytes(16)),
      source: 'swift',
      market: spec.symbol,
      side,
      baseAmount,
      auction: { startPrice, endPrice, startSlot: slot, durationSlots: auction.durationSlots },
      taker: key.publicKey,
      receivedAt: ts,
    };
    return signTakerOrder(key, order);
  }
}

/** RFC 4122 version-4 layout from 16 seeded bytes. */
function uuidFrom(bytes: Uint8Array): string {
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
