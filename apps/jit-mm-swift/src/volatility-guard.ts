/**
 * Stops quoting when the oracle moves faster than a threshold: the range (max - min) of the
 * prices seen within a sliding time window, in bps of the latest price.
 */
export class VolatilityGuard {
  private readonly samples: { ts: number; price: bigint }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly maxRangeBps: number,
  ) {}

  record(ts: number, price: bigint): void {
    this.samples.push({ ts, price });
    while (this.samples.length > 0 && this.samples[0]!.ts < ts - this.windowMs) this.samples.shift();
  }

  /** Range of the window in bps of the latest price (0 with fewer than two samples). */
  rangeBps(): bigint {
    const last = this.samples.at(-1);
    if (!last || last.price <= 0n || this.samples.length < 2) return 0n;
    let lo = last.price;
    let hi = last.price;
    for (const { price } of this.samples) {
      if (price < lo) lo = price;
      if (price > hi) hi = price;
    }
    return ((hi - lo) * 10_000n) / last.price;
  }

  tripped(): boolean {
    return this.rangeBps() > BigInt(this.maxRangeBps);
  }
}
