/**
 * `AuctionTakerSource`: @drift/domain's `TakerOrderSource` for on-chain auctions. It follows the User
 * accounts the program marks as having an open auction (the SDK's `getUserFilter` +
 * `getUserWithAuctionFilter`), decoded with the SDK's coder, and emits each new perp taker order of
 * the venue's markets once, while its auction runs. Websocket: the SDK's `AuctionSubscriber`
 * (`programSubscribe`) after one `getProgramAccounts` load; polling: `getProgramAccounts` every
 * `pollingIntervalMs`. The venue's own authority (the fleet's sub-accounts) is skipped.
 */
import { type FleetConfig, parseAppParams } from '@drift/config';
import type { TakerOrder, TakerOrderSource, Unsubscribe, Venue } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import {
  AuctionSubscriber,
  getUserFilter,
  getUserWithAuctionFilter,
  type UserAccount,
} from '@drift-labs/sdk';
import { PublicKey } from '@solana/web3.js';
import { auctionUuid, inAuction, toAuctionTakerOrder } from './auction-orders.js';
import { type CreateVenueOptions, createVenue } from './create-venue.js';
import { DriftVenue } from './drift-venue.js';
import { type DriftClientParams, driftClientParamsSchema } from './params.js';

export interface AuctionTakerSourceOptions {
  /** The live venue whose DriftClient (connection, program, oracles) is shared; connected before `subscribe`. */
  venue: DriftVenue;
  params: Pick<DriftClientParams, 'subscription' | 'pollingIntervalMs' | 'commitment'>;
  logger: LoggerLike;
  /** Close the venue with the source (it was made for the source). */
  ownsVenue?: boolean;
}

interface Listener {
  markets: ReadonlySet<string>;
  deliver: (order: TakerOrder) => void;
}

/** Slots a seen order's id is kept past its auction's end (late copies of it are still ignored). */
const SEEN_MARGIN_SLOTS = 150;

export class AuctionTakerSource implements TakerOrderSource {
  private readonly listeners = new Set<Listener>();
  private readonly logger: LoggerLike;
  /** The fleet's wallet: its sub-accounts' orders are never ours to fill. */
  private readonly ownAuthority: PublicKey;
  /** uuid -> the slot its auction ends. */
  private readonly seen = new Map<string, number>();
  private prunedAt = 0;
  private started: Promise<void> | undefined;
  private subscriber: AuctionSubscriber | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly opts: AuctionTakerSourceOptions) {
    this.logger = opts.logger.child({ component: 'drift-client', source: 'auction' });
    this.ownAuthority = new PublicKey(opts.venue.authority);
  }

  subscribe(markets: string[], listener: (order: TakerOrder) => void): Unsubscribe {
    const entry: Listener = { markets: new Set(markets), deliver: listener };
    this.listeners.add(entry);
    if (!this.started && !this.closed) {
      this.started = this.start().catch((err: unknown) => {
        this.logger.error({ err }, 'auction taker source failed to start');
      });
    }
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Resolves once the first load of auction accounts was delivered (at once if never subscribed). */
  async ready(): Promise<void> {
    await this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.started;
    await this.subscriber?.unsubscribe();
    this.subscriber = undefined;
    if (this.opts.ownsVenue) await this.opts.venue.close();
  }

  private async start(): Promise<void> {
    const { params } = this.opts;
    const client = this.opts.venue.driftClient();
    if (params.subscription === 'websocket') {
      // Subscribed before the first load, so no update falls between the two.
      this.subscriber = new AuctionSubscriber({
        driftClient: client,
        opts: { commitment: params.commitment },
      });
      this.subscriber.eventEmitter.on('onAccountUpdate', (account, pubkey, slot) =>
        this.onUser(account, pubkey, slot),
      );
      await this.subscriber.subscribe();
    }
    await this.poll();
    if (params.subscription === 'polling' && !this.closed) {
      this.timer = setInterval(() => void this.poll(), params.pollingIntervalMs);
    }
    this.logger.info(
      { subscription: params.subscription, markets: this.opts.venue.markets().map((m) => m.symbol) },
      'following on-chain auctions',
    );
  }

  /** One `getProgramAccounts` of the users with an open auction; a poll still running is not doubled. */
  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const client = this.opts.venue.driftClient();
      const { context, value } = await client.connection.getProgramAccounts(client.program.programId, {
        commitment: this.opts.params.commitment,
        filters: [getUserFilter(), getUserWithAuctionFilter()],
        encoding: 'base64',
        withContext: true,
      });
      for (const { pubkey, account } of value) {
        let user: UserAccount;
        try {
          user = client.program.coder.accounts.decode<UserAccount>('User', account.data);
        } catch (err) {
          this.logger.warn({ err, user: pubkey.toBase58() }, 'undecodable user account skipped');
          continue;
        }
        this.onUser(user, pubkey, context.slot);
      }
    } catch (err) {
      this.logger.warn({ err }, 'auction accounts poll failed; next poll retries');
    } finally {
      this.polling = false;
    }
  }

  private onUser(account: UserAccount, pubkey: PublicKey, slot: number): void {
    const venue = this.opts.venue;
    if (this.closed || account.authority.equals(this.ownAuthority)) return;
    this.prune(slot);
    for (const order of account.orders) {
      if (!inAuction(order, slot)) continue;
      const spec = venue.markets().find((m) => m.marketIndex === order.marketIndex);
      if (!spec) continue;
      const uuid = auctionUuid(pubkey, order.orderId);
      if (this.seen.has(uuid)) continue;
      let taker: TakerOrder;
      try {
        taker = toAuctionTakerOrder(account, pubkey, order, {
          market: spec.symbol,
          oraclePrice: venue.driftClient().getMMOracleDataForPerpMarket(order.marketIndex).price,
          receivedAt: Date.now(),
        });
      } catch (err) {
        // Remembered too, so the next update of the account does not warn again.
        this.seen.set(uuid, slot);
        this.logger.warn({ err, market: spec.symbol, orderId: uuid }, 'auction order unreadable; skipped');
        continue;
      }
      this.seen.set(uuid, taker.auction.startSlot + taker.auction.durationSlots);
      this.deliver(taker);
    }
  }

  private deliver(taker: TakerOrder): void {
    for (const listener of this.listeners) {
      if (!listener.markets.has(taker.market)) continue;
      try {
        listener.deliver(taker);
      } catch (err) {
        this.logger.error({ err, market: taker.market, orderId: taker.uuid }, 'taker listener threw');
      }
    }
  }

  private prune(slot: number): void {
    if (slot < this.prunedAt + SEEN_MARGIN_SLOTS) return;
    this.prunedAt = slot;
    for (const [uuid, end] of this.seen) if (end + SEEN_MARGIN_SLOTS < slot) this.seen.delete(uuid);
  }
}

export interface CreateAuctionTakerSourceOptions {
  logger: LoggerLike;
  /**
   * The live venue to share (a `DriftVenue` from `createVenue`, connected before `subscribe`).
   * Default: a venue of the source's own from `createVenue(config, venueOptions)`, connected here
   * and closed with the source.
   */
  venue?: Venue;
  venueOptions?: Omit<CreateVenueOptions, 'logger'>;
  /** Default `apps.drift-client.params` (subscription, pollingIntervalMs, commitment). */
  params?: DriftClientParams;
}

/** Live mode only: in paper mode the simulator's taker stream (swift-client) carries its auctions. */
export async function createAuctionTakerSource(
  config: FleetConfig,
  opts: CreateAuctionTakerSourceOptions,
): Promise<AuctionTakerSource> {
  if (config.mode !== 'live') {
    throw new Error(
      `mode: "${config.mode}": on-chain auctions are followed in live mode only (paper: swift-client's createTakerSource carries the simulator's auctions)`,
    );
  }
  const params = opts.params ?? parseAppParams(config, 'drift-client', driftClientParamsSchema);
  const venue =
    opts.venue ?? (await createVenue(config, { ...opts.venueOptions, params, logger: opts.logger }));
  if (!(venue instanceof DriftVenue))
    throw new Error(`venue: a ${venue.kind} venue cannot follow on-chain auctions (a DriftVenue is needed)`);
  if (!opts.venue) await venue.connect();
  return new AuctionTakerSource({
    venue,
    params,
    logger: opts.logger,
    ownsVenue: opts.venue === undefined,
  });
}
