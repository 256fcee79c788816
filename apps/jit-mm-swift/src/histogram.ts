/**
 * A fixed-bucket latency histogram (microseconds): constant memory, O(buckets) record, and
 * counts that go straight into heartbeat counters. Quantiles are the upper bound of the bucket
 * holding them (an overestimate by at most one bucket).
 */
export const DEFAULT_BOUNDS_US: readonly number[] = [
  50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
  2_500_000, 5_000_000,
];

export class Histogram {
  /** counts[i]: samples <= bounds[i] (and > bounds[i-1]); the last slot counts the overflow. */
  private readonly counts: number[];
  private total = 0;
  private max = 0;

  constructor(readonly bounds: readonly number[] = DEFAULT_BOUNDS_US) {
    for (let i = 1; i < bounds.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new RangeError('histogram bounds must increase');
    }
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  record(valueUs: number): void {
    let i = 0;
    while (i < this.bounds.length && valueUs > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.total++;
    if (valueUs > this.max) this.max = valueUs;
  }

  get count(): number {
    return this.total;
  }

  /** Upper bound of the bucket holding quantile `q` (0..1); the max seen for the overflow bucket. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i < this.bounds.length ? this.bounds[i]! : this.max;
    }
    return this.max;
  }

  /** Heartbeat counters: `<name>.le_<bound>us` per bucket, `.inf`, `.count`, `.p50us`, `.p99us`. */
  toCounters(name: string): Record<string, number> {
    const out: Record<string, number> = {};
    this.bounds.forEach((bound, i) => {
      out[`${name}.le_${bound}us`] = this.counts[i]!;
    });
    out[`${name}.inf`] = this.counts[this.bounds.length]!;
    out[`${name}.count`] = this.total;
    out[`${name}.p50us`] = this.quantile(0.5);
    out[`${name}.p99us`] = this.quantile(0.99);
    return out;
  }
}
