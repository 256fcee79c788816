/**
 * How current the venue's view of a user account is: the venue time (slot, and local ms for a
 * real venue) up to which it is known to match the chain. Silence proves nothing: a websocket
 * subscription says nothing while the account does not change, exactly as when it has stalled.
 *
 * - polling: the account loader's newest poll (its slot, stamped when first seen advancing);
 * - websocket: a notification (the view's slot advanced), or else a read of the account through
 *   the SDK's own `fetchAccounts` at most every `confirmMs`; the read also applies an update the
 *   subscription missed.
 *
 * A node that stops answering confirms nothing: the age grows, and the freshness guard stops
 * the bot adding risk.
 */

/** The part of the SDK's `User` a confirmation needs. */
export interface ConfirmableUser {
  getUserAccountAndSlot(): { slot: number } | undefined;
  fetchAccounts(): Promise<void>;
}

export interface AccountViewAgeOptions {
  subscription: 'websocket' | 'polling';
  /** Polling: the loader's newest slot (`BulkAccountLoader.mostRecentSlot`). */
  loaderSlot?: () => number;
  /** Websocket: a quiet account is re-read this often. */
  confirmMs: number;
  now?: () => number;
}

export interface AsOf {
  slot: number;
  ts: number;
}

export class AccountViewAge {
  private readonly now: () => number;
  /** sub-account -> the newest confirmation of its view. */
  private readonly confirmed = new Map<number, AsOf>();
  /** sub-account -> its read in flight (one at a time: a silent node must not pile them up). */
  private readonly reading = new Map<number, Promise<void>>();

  constructor(private readonly options: AccountViewAgeOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Up to when `user`'s view (sub-account `sub`) is known current; an unknown view is as of 0.
   * Never waits for a read: a node that hangs must not hang the caller's other checks.
   */
  asOf(sub: number, user: ConfirmableUser): AsOf {
    const slot =
      this.options.subscription === 'polling'
        ? (this.options.loaderSlot?.() ?? 0)
        : (user.getUserAccountAndSlot()?.slot ?? 0);
    this.advance(sub, slot, this.now());
    if (this.options.subscription === 'websocket') this.confirmQuiet(sub, user);
    return this.confirmed.get(sub) ?? { slot: 0, ts: 0 };
  }

  /** A newer slot than the confirmed one is a confirmation, stamped when first seen. */
  private advance(sub: number, slot: number, ts: number): void {
    const known = this.confirmed.get(sub);
    if (slot > 0 && (!known || slot > known.slot)) this.confirmed.set(sub, { slot, ts });
  }

  /** Starts a read of a quiet view, unless one is in flight. */
  private confirmQuiet(sub: number, user: ConfirmableUser): void {
    const known = this.confirmed.get(sub);
    const startedAt = this.now();
    if ((known && startedAt - known.ts < this.options.confirmMs) || this.reading.has(sub)) return;
    const read = user
      .fetchAccounts()
      .then(
        () => {
          // Answered: the view is current as of the read's start, at whatever slot it holds now.
          const slot = user.getUserAccountAndSlot()?.slot ?? 0;
          const held = this.confirmed.get(sub);
          this.confirmed.set(sub, {
            slot: Math.max(slot, held?.slot ?? 0),
            ts: Math.max(startedAt, held?.ts ?? 0),
          });
        },
        () => undefined, // not answering: nothing confirmed, the age grows
      )
      .finally(() => this.reading.delete(sub));
    this.reading.set(sub, read);
  }
}
