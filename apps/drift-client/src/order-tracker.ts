/**
 * Order events of one sub-account that are right whatever order a node delivers the account
 * update and the fill logs in, and when one of them never comes:
 * - a fill record says how much of its order is filled in all (`...CumulativeBaseAssetAmountFilled`):
 *   a complete one ends the order `filled` at once, even one never seen open (opened and filled
 *   between two polls), and a later account update no longer shows it;
 * - an order that left the account is not called cancelled on the spot: fills already seen decide;
 *   else, after a grace period for the logs, the account's recent transactions are read (their
 *   fills recorded), and only then is it `cancelled` (`expired` once past its maxTs) with what was
 *   filled (and the program's reason for the cancel when its record gave one). While a transaction
 *   since the order was last seen open cannot be read (a node answering getTransaction with null), it
 *   is not called anything: the read is retried, backing off;
 * - after `accountFallbackReads` such reads, the account decides: the two snapshots around the
 *   order's leaving (the last showing it open, the first not) say what it filled when nothing else
 *   could have moved the position (`fromAccount`). When they cannot, the order's outcome is
 *   unknown: one event with its last live status and `reason: 'outcome-unknown'` (left the book,
 *   what it did unreadable: reconcile), never `cancelled`; only a fill record ends it after that.
 * Every order gets one terminal event, or that unknown one.
 */
import { maxBig, type Order, type RejectReason } from '@drift/domain';

export interface FillProgress {
  orderId: number;
  /** The order's size and how much of it is filled in all, after this fill. */
  baseAmount: bigint;
  cumulativeFilled: bigint;
  /** The order as the fill describes it, for one never seen open. */
  order: () => Order;
}

/** What an order that left the account filled in all, by the account's change; or why it cannot say. */
export type AccountSettlement = { ok: true; filledBase: bigint } | { ok: false; why: string };

export interface OrderTrackerOptions<Mark> {
  deliver: (order: Order) => void;
  /** Base filled of an order, summed over the fills recorded so far. */
  filledOf: (orderId: number) => bigint;
  /**
   * Reads the account's recent transactions and records their fills (through `onFill`); false
   * when one landed after `sinceSlot` could not be read.
   */
  readRecentFills: (sinceSlot: number) => Promise<boolean>;
  /** Why the venue cancelled an order, when its cancel record said (read with the fills). */
  reasonOf?: (orderId: number) => RejectReason | undefined;
  /** How long a vanished order waits for its fill logs before the transactions are read. */
  graceMs: number;
  /** Reads that found an unreadable transaction before the account decides. */
  accountFallbackReads: number;
  /** What the account's change from `before` (last snapshot showing it open) to `after` says it filled. */
  fromAccount: (order: Order, before: Mark, after: Mark) => AccountSettlement;
  now: () => number;
}

const ENDED_KEPT = 2_048;
/** The longest wait between two reads of transactions that could not be read yet. */
const RETRY_MAX_MS = 30_000;

interface Leaving<Mark> {
  order: Order;
  /** The slot of the last account snapshot that showed it open: its end landed after. */
  since: number;
  /** The account in that snapshot, and in the first one that no longer showed the order. */
  before: Mark | undefined;
  after: Mark | undefined;
  /** Reads of the account's transactions that found one unreadable. */
  failedReads: number;
}

export class OrderTracker<Mark = unknown> {
  private open = new Map<number, Order>();
  /** Slot of the account snapshot `open` was read from, and that snapshot. */
  private openSlot = 0;
  private openMark: Mark | undefined;
  private readonly leaving = new Map<number, Leaving<Mark>>();
  /** Orders that left the account with an outcome nothing could read: only a fill record ends them. */
  private readonly unknown = new Map<number, Order>();
  private readonly ended = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private retryMs = 0;

  constructor(private readonly opts: OrderTrackerOptions<Mark>) {}

  /** The baseline (open orders at connect, read at `slot` from the account `mark`). */
  reset(open: readonly Order[], slot = 0, mark?: Mark): void {
    this.open = new Map(open.map((o) => [Number(o.orderId), o]));
    this.openSlot = slot;
    this.openMark = mark;
  }

  /** An account update read at `slot`: the open orders it shows (and the account, `mark`). */
  onAccount(current: readonly Order[], slot = 0, mark?: Mark): void {
    const now = new Map<number, Order>();
    for (const order of current) {
      const id = Number(order.orderId);
      if (this.ended.has(id)) continue; // a snapshot older than the fill that ended it
      now.set(id, order);
      const before = this.open.get(id);
      if (!before || before.filledBase !== order.filledBase || before.status !== order.status) {
        this.opts.deliver(order);
      }
    }
    for (const [id, before] of this.open) {
      if (!now.has(id)) this.leave(id, before, { since: this.openSlot, before: this.openMark, after: mark });
    }
    this.open = now;
    this.openSlot = slot;
    this.openMark = mark;
  }

  /** A new fill of one of this account's orders. */
  onFill(progress: FillProgress): void {
    const id = progress.orderId;
    if (this.ended.has(id)) return;
    const known = this.leaving.get(id)?.order ?? this.unknown.get(id) ?? this.open.get(id);
    if (progress.cumulativeFilled >= progress.baseAmount) {
      const order = known ?? progress.order();
      this.end({ ...order, filledBase: progress.cumulativeFilled, status: 'filled' });
      return;
    }
    // A leaving order is settled when its grace period ends; one of unknown outcome by a complete fill.
    if (this.leaving.has(id) || this.unknown.has(id)) return;
    if (!known || known.filledBase < progress.cumulativeFilled) {
      const order: Order = {
        ...(known ?? progress.order()),
        filledBase: progress.cumulativeFilled,
        status: 'partially-filled',
        updatedAt: this.opts.now(),
      };
      this.open.set(id, order);
      this.opts.deliver(order);
    }
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private leave(
    id: number,
    before: Order,
    snapshots: { since: number; before: Mark | undefined; after: Mark | undefined },
  ): void {
    if (this.settle(id, before)) return;
    this.leaving.set(id, { order: before, ...snapshots, failedReads: 0 });
    if (!this.timer) this.schedule(this.opts.graceMs);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.afterGrace(), ms);
    this.timer.unref();
  }

  /** Ends the order as filled if the fills recorded cover it. */
  private settle(id: number, before: Order): boolean {
    const filled = this.opts.filledOf(id);
    if (filled < before.baseAmount) return false;
    this.end({ ...before, filledBase: filled, status: 'filled' });
    return true;
  }

  private async afterGrace(): Promise<void> {
    this.timer = undefined;
    if (this.leaving.size === 0) return;
    const since = Math.min(...[...this.leaving.values()].map((l) => l.since));
    const complete = await this.opts.readRecentFills(since).catch(() => false);
    for (const [id, leaving] of [...this.leaving]) {
      const before = leaving.order;
      if (this.settle(id, before)) continue;
      if (complete) {
        this.endUnfilled(before, this.opts.filledOf(id));
        continue;
      }
      leaving.failedReads += 1;
      if (leaving.failedReads >= this.opts.accountFallbackReads) this.settleFromAccount(id, leaving);
    }
    if (this.leaving.size === 0) {
      this.retryMs = 0;
      return;
    }
    this.retryMs = Math.min(Math.max(2 * this.retryMs, this.opts.graceMs), RETRY_MAX_MS);
    if (!this.timer) this.schedule(this.retryMs);
  }

  /**
   * The transactions stay unreadable: the account's snapshots around the order's leaving decide
   * what it filled, or its outcome is unknown (never `cancelled`: it may have filled).
   */
  private settleFromAccount(id: number, leaving: Leaving<Mark>): void {
    const { order, before, after } = leaving;
    const settled =
      before !== undefined && after !== undefined
        ? this.opts.fromAccount(order, before, after)
        : { ok: false as const, why: 'no account snapshot from before and after it left' };
    if (settled.ok) {
      const filledBase = maxBig(settled.filledBase, this.opts.filledOf(id));
      if (filledBase >= order.baseAmount) this.end({ ...order, filledBase, status: 'filled' });
      else this.endUnfilled(order, filledBase);
      return;
    }
    this.leaving.delete(id);
    this.unknown.set(id, order);
    if (this.unknown.size > ENDED_KEPT) this.unknown.delete(this.unknown.keys().next().value as number);
    this.opts.deliver({ ...order, reason: 'outcome-unknown', updatedAt: this.opts.now() });
  }

  /** Ends an order that left the account not (fully) filled: cancelled, or expired past its maxTs. */
  private endUnfilled(before: Order, filled: bigint): void {
    const reason = this.opts.reasonOf?.(Number(before.orderId));
    this.end({
      ...before,
      filledBase: maxBig(filled, before.filledBase),
      // Past its maxTs the program refuses to fill it and a keeper (or we) removed it: expired.
      status: before.maxTs !== undefined && this.opts.now() > before.maxTs ? 'expired' : 'cancelled',
      ...(reason && { reason }),
    });
  }

  private end(order: Order): void {
    const id = Number(order.orderId);
    this.leaving.delete(id);
    this.unknown.delete(id);
    this.open.delete(id);
    this.ended.add(id);
    if (this.ended.size > ENDED_KEPT) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
    this.opts.deliver({ ...order, updatedAt: this.opts.now() });
  }
}
