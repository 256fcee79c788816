/**
 * A user account as the program left it in the bank, read with the SDK's coder alone (not the
 * venue's mapping, which is what the lane tests): what a test asserts the chain did.
 */
import type { Side } from '@drift/domain';
import { isVariant, type UserAccount } from '@drift-labs/sdk';
import type { PublicKey } from '@solana/web3.js';
import { offlineDriftClient } from '../../src/live.js';
import type { BankrunChain } from './bankrun-chain.js';

export interface ChainOrder {
  orderId: number;
  marketIndex: number;
  side: Side;
  /** The order type's variant name (`market`, `limit`, ...). */
  type: string;
  baseAmount: bigint;
  filledBase: bigint;
  price: bigint;
}

export interface ChainUser {
  account: UserAccount;
  /** Orders with status open. */
  openOrders: ChainOrder[];
  /** Signed base of the perp position in `marketIndex` (0 when none), BASE_PRECISION. */
  perpBase(marketIndex: number): bigint;
}

const coder = offlineDriftClient('devnet').program.coder;

export async function readUser(chain: BankrunChain, address: PublicKey): Promise<ChainUser> {
  const bytes = await chain.account(address);
  if (!bytes) throw new Error(`no user account at ${address.toBase58()}`);
  const account = coder.accounts.decode<UserAccount>('User', Buffer.from(bytes.data));
  return {
    account,
    openOrders: account.orders
      .filter((o) => isVariant(o.status, 'open'))
      .map((o) => ({
        orderId: o.orderId,
        marketIndex: o.marketIndex,
        side: isVariant(o.direction, 'long') ? 'buy' : 'sell',
        type: Object.keys(o.orderType)[0] ?? 'unknown',
        baseAmount: BigInt(o.baseAssetAmount.toString()),
        filledBase: BigInt(o.baseAssetAmountFilled.toString()),
        price: BigInt(o.price.toString()),
      })),
    perpBase: (marketIndex) =>
      BigInt(
        account.perpPositions.find((p) => p.marketIndex === marketIndex)?.baseAssetAmount.toString() ?? '0',
      ),
  };
}
