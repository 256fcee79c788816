/**
 * One real-program lane: bankrun with the compiled Drift program behind a loopback node, the
 * exchange created by its admin instructions, and the project's real DriftVenue connected to it
 * through an injected Connection and the exchange's market/oracle configuration.
 */
import type { VenueEvent } from '@drift/domain';
import { recordingLogger } from '@drift/test-support';
import { Connection } from '@solana/web3.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { DriftVenue } from '../../src/drift-venue.js';
import type { DriftClientParams } from '../../src/params.js';
import { BankrunChain } from './bankrun-chain.js';
import { LaneExchange, type LaneUser, SOL_PERP } from './exchange.js';
import { laneParams, type Mode, USDC_10K } from './lane-params.js';
import { LANE, type LanePrograms } from './programs.js';

export { laneParams, MODES, type Mode, USDC_10K } from './lane-params.js';

export interface LaneVenue {
  venue: DriftVenue;
  user: LaneUser;
  events: VenueEvent[];
}

export class Lane {
  readonly logger = recordingLogger();
  private readonly venues: DriftVenue[] = [];

  private constructor(
    readonly chain: BankrunChain,
    readonly exchange: LaneExchange,
  ) {}

  static async start(programs: LanePrograms): Promise<Lane> {
    const chain = await BankrunChain.start(programs);
    const exchange = new LaneExchange(chain);
    await exchange.create();
    return new Lane(chain, exchange);
  }

  /**
   * A connected DriftVenue trading `subAccount` (default 0) of `user` (default a new funded one),
   * following `subAccounts` too.
   */
  async venue(
    mode: Mode,
    opts: {
      user?: LaneUser;
      usdc?: bigint;
      subAccount?: number;
      subAccounts?: number[];
      params?: Partial<DriftClientParams>;
    } = {},
  ): Promise<LaneVenue> {
    const user = opts.user ?? (await this.exchange.createUser({ usdc: opts.usdc ?? USDC_10K }));
    const venue = new DriftVenue({
      env: 'devnet',
      rpcUrl: this.chain.url,
      connection: this.connection(),
      keypair: user.keypair,
      markets: [SOL_PERP.symbol],
      perpMarkets: this.exchange.perpMarketConfigs(),
      quoteSpotMarket: this.exchange.spotMarketConfigs()[0],
      subAccount: opts.subAccount ?? 0,
      subAccounts: opts.subAccounts ?? [],
      params: { ...laneParams(mode), ...opts.params },
      logger: this.logger,
    });
    const events: VenueEvent[] = [];
    venue.subscribe((e) => events.push(e));
    await venue.connect();
    this.venues.push(venue);
    return { venue, user, events };
  }

  connection(): Connection {
    return new Connection(this.chain.url, {
      commitment: 'confirmed',
      wsEndpoint: this.chain.url.replace('http', 'ws'),
    });
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.venues.map((v) => v.close()));
    await this.chain.stop();
  }
}

/** Polls `check` until it returns (or resolves to) a value, not undefined; fails after `ms`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 5_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A describe block on one lane, started before its tests and stopped after them; skipped, with
 * the reason in its title, when the program or bankrun is missing.
 */
export function describeLane(title: string, body: (lane: () => Lane) => void): void {
  const skip = LANE.ok ? false : LANE.reason;
  describe.skipIf(skip)(`real Drift program: ${title}${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
    let lane: Lane | undefined;
    beforeAll(async () => {
      if (LANE.ok) lane = await Lane.start(LANE.programs);
    }, 60_000);
    afterAll(async () => {
      await lane?.stop();
    });
    body(() => {
      if (!lane) throw new Error('the lane did not start');
      return lane;
    });
  });
}
