/**
 * Connecting to Drift: the RPC connection, the DriftClient subscribed to the State, the configured
 * perp markets, the USDC spot market, their oracles and this authority's user accounts, and the
 * priority-fee subscriber. Failures name what is missing; nothing is left subscribed on failure.
 */
import {
  BulkAccountLoader,
  DriftClient,
  type DriftClientSubscriptionConfig,
  getMarketsAndOraclesForSubscription,
  getPerpMarketPublicKeySync,
  getUserAccountPublicKeySync,
  PriorityFeeMethod,
  PriorityFeeSubscriber,
  SpotMarkets,
  Wallet,
} from '@drift-labs/sdk';
import { Connection } from '@solana/web3.js';
import { AccountViewAge } from './account-view-age.js';
import type { VenueContext } from './venue-context.js';

/** A DriftClient subscribed to everything the venue follows. */
export async function openDriftClient(
  ctx: VenueContext,
): Promise<{ client: DriftClient; connection: Connection }> {
  const { params, env, keypair } = ctx.opts;
  const connection =
    ctx.opts.connection ??
    new Connection(ctx.opts.rpcUrl, {
      commitment: params.commitment,
      ...(ctx.opts.wsUrl !== undefined && { wsEndpoint: ctx.opts.wsUrl }),
    });
  const loader =
    params.subscription === 'polling'
      ? new BulkAccountLoader(connection, params.commitment, params.pollingIntervalMs)
      : undefined;
  const accountSubscription: DriftClientSubscriptionConfig = loader
    ? { type: 'polling', accountLoader: loader }
    : { type: 'websocket', commitment: params.commitment };
  ctx.accountAge = new AccountViewAge({
    subscription: params.subscription,
    confirmMs: params.accountConfirmMs,
    now: ctx.now,
    ...(loader && { loaderSlot: () => loader.mostRecentSlot }),
  });
  const usdc = ctx.opts.quoteSpotMarket ?? SpotMarkets[env][0];
  const client = new DriftClient({
    connection,
    wallet: new Wallet(keypair),
    env,
    accountSubscription,
    ...getMarketsAndOraclesForSubscription(env, ctx.configs, usdc ? [usdc] : []),
    subAccountIds: ctx.subs,
    activeSubAccountId: ctx.subAccount,
    txVersion: 'legacy',
  });
  await requireUserAccounts(ctx, client);
  // The SDK's subscribe() adds the sub-accounts' users in an un-awaited callback (it can return
  // before they are loaded, and ignores their failure): added first, so it finds them subscribed.
  const users = await Promise.all(ctx.subs.map((sub) => client.addUser(sub)));
  if (!users.every(Boolean)) {
    await client.unsubscribe().catch(() => undefined);
    throw new Error(`DriftClient subscription to the user accounts of ${ctx.authority} failed`);
  }
  if (!(await client.subscribe())) {
    await client.unsubscribe().catch(() => undefined);
    throw new Error(`DriftClient subscription to ${env} failed: markets or oracles not found`);
  }
  return { client, connection };
}

/** Fails with the missing sub-accounts named (the SDK's own error does not say which). */
async function requireUserAccounts(ctx: VenueContext, client: DriftClient): Promise<void> {
  const keys = ctx.subs.map((sub) =>
    getUserAccountPublicKeySync(client.program.programId, ctx.opts.keypair.publicKey, sub),
  );
  const infos = await client.connection.getMultipleAccountsInfo(keys);
  const missing = ctx.subs.filter((_, i) => !infos[i]);
  if (missing.length > 0) {
    const which = missing.length === 1 ? `sub-account ${missing[0]}` : `sub-accounts ${missing.join(', ')}`;
    throw new Error(`${which} of ${ctx.authority} has no Drift user account on ${ctx.opts.env}`);
  }
}

/** The SDK's recent priority fees on our markets' accounts; a first load that fails pays 0 meanwhile. */
export async function startPriorityFees(
  ctx: VenueContext,
  connection: Connection,
): Promise<PriorityFeeSubscriber> {
  const { priorityFee } = ctx.opts.params;
  const subscriber = new PriorityFeeSubscriber({
    connection,
    frequencyMs: priorityFee.refreshMs,
    addresses: ctx.configs.map((c) =>
      getPerpMarketPublicKeySync(ctx.need().program.programId, c.marketIndex),
    ),
    priorityFeeMethod: PriorityFeeMethod.SOLANA,
    maxFeeMicroLamports: priorityFee.maxMicroLamports,
    priorityFeeMultiplier: priorityFee.multiplier,
  });
  // The SDK's first load throws on an RPC that reports no recent fees; later loads may succeed.
  await subscriber.subscribe().catch((err: unknown) => {
    ctx.logger.warn({ err }, 'priority fees unavailable; paying 0 until the next refresh');
  });
  return subscriber;
}
