/**
 * Client order ids and Drift's on-chain `userOrderId` (1..255 per sub-account).
 * A client id is unique per bot forever (`<bot>-<epoch>-<seq>`); a user order id is unique only
 * among the bot's live orders. Freed ids go to the back of the queue, so the id an order just
 * released (and that a late venue event may still carry) is the last one handed out again.
 */

export const USER_ORDER_ID_MIN = 1;
export const USER_ORDER_ID_MAX = 255;

export interface UserOrderIdRange {
  min: number;
  max: number;
}

export function validateUserOrderIdRange(range: UserOrderIdRange): UserOrderIdRange {
  const { min, max } = range;
  const ok = (v: number) => Number.isInteger(v) && v >= USER_ORDER_ID_MIN && v <= USER_ORDER_ID_MAX;
  if (!ok(min)) throw new RangeError(`userOrderIds.min: ${String(min)} is not an integer in 1..255`);
  if (!ok(max)) throw new RangeError(`userOrderIds.max: ${String(max)} is not an integer in 1..255`);
  if (min > max) throw new RangeError(`userOrderIds: min ${min} is above max ${max}`);
  return range;
}

export class UserOrderIdPool {
  /** Free ids, least recently released first. */
  private readonly free: number[] = [];
  private readonly live = new Set<number>();

  constructor(readonly range: UserOrderIdRange) {
    validateUserOrderIdRange(range);
    for (let id = range.min; id <= range.max; id++) this.free.push(id);
  }

  get size(): number {
    return this.range.max - this.range.min + 1;
  }

  get liveCount(): number {
    return this.live.size;
  }

  contains(id: number | undefined): id is number {
    return id !== undefined && id >= this.range.min && id <= this.range.max;
  }

  /** The next free id, or undefined when every id in the range is held by a live order. */
  acquire(): number | undefined {
    const id = this.free.shift();
    if (id !== undefined) this.live.add(id);
    return id;
  }

  /** Marks an id live (an order recovered from the journal or adopted from the venue). */
  claim(id: number): void {
    if (!this.contains(id) || this.live.has(id)) return;
    const at = this.free.indexOf(id);
    if (at >= 0) this.free.splice(at, 1);
    this.live.add(id);
  }

  /** Returns an id once its order is terminal. */
  release(id: number): void {
    if (!this.live.delete(id)) return;
    this.free.push(id);
  }
}

/** `<bot>-<epoch>-<seq>`: epoch is the manager's start (ms), seq counts up from 1 in that run. */
export class ClientOrderIdGenerator {
  private seq = 0;

  constructor(
    private readonly bot: string,
    private readonly epoch: number = Date.now(),
  ) {}

  next(): string {
    this.seq += 1;
    return `${this.bot}-${this.epoch}-${this.seq}`;
  }
}
