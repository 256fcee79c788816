/**
 * The Drift events a confirmed transaction emitted (OrderRecord: the order as placed, with its id;
 * OrderActionRecord: fills and cancels), read from its logs with the SDK's parser.
 */
import { type DriftClient, type OrderActionRecord, type OrderRecord, parseLogs } from '@drift-labs/sdk';
import type { Commitment, Finality } from '@solana/web3.js';
import { withLenientEvents } from './event-coder.js';

export interface TxEvents {
  orders: OrderRecord[];
  actions: OrderActionRecord[];
}

export async function fetchTxEvents(
  client: DriftClient,
  signature: string,
  commitment: Commitment,
): Promise<TxEvents | undefined> {
  const tx = await client.connection.getTransaction(signature, {
    commitment: (commitment === 'finalized' ? 'finalized' : 'confirmed') satisfies Finality,
    maxSupportedTransactionVersion: 0,
  });
  const logs = tx?.meta?.logMessages;
  if (!logs) return undefined;
  const events = parseLogs(withLenientEvents(client.program), logs);
  return {
    orders: events.filter((e) => e.name === 'OrderRecord').map((e) => e.data as unknown as OrderRecord),
    actions: events
      .filter((e) => e.name === 'OrderActionRecord')
      .map((e) => e.data as unknown as OrderActionRecord),
  };
}
