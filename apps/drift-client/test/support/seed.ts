/** The accounts every DriftVenue test starts from: SOL and BTC perps, USDC, one user with a position and an order. */
import type { Keypair } from '@solana/web3.js';
import type { DriftChain } from './drift-chain.js';

export const SOL = {
  marketIndex: 0,
  price: 150_000_000n,
  tickSize: 100n,
  stepSize: 10_000_000n,
  minOrderSize: 10_000_000n,
};
export const BTC = {
  marketIndex: 1,
  price: 65_000_000_000n,
  tickSize: 1_000n,
  stepSize: 100_000n,
  minOrderSize: 100_000n,
};

export async function seedChain(chain: DriftChain, authority: Keypair): Promise<void> {
  await chain.setState();
  await chain.setPerpMarket(SOL);
  await chain.setPerpMarket(BTC);
  await chain.setUsdcSpotMarket();
  await chain.setUser({
    authority: authority.publicKey,
    subAccountId: 0,
    usdcDeposit: 10_000_000_000n,
    positions: [{ marketIndex: 0, baseAssetAmount: 2_000_000_000n, quoteEntryAmount: -290_000_000n }],
    orders: [
      {
        orderId: 5,
        userOrderId: 7,
        marketIndex: 0,
        direction: 'long',
        price: 140_000_000n,
        baseAssetAmount: 1_000_000_000n,
        postOnly: true,
      },
    ],
  });
}
