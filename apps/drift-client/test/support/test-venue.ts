/** A DriftVenue on the loopback test chain: devnet, SOL-PERP, sub-account 0, unless told otherwise. */
import { recordingLogger } from '@drift/test-support';
import type { Keypair } from '@solana/web3.js';
import { DriftVenue, type DriftVenueOptions } from '../../src/drift-venue.js';
import { DEFAULT_PARAMS } from '../../src/params.js';
import type { JsonRpcServer } from './json-rpc-server.js';

export function venueOnTestChain(
  rpc: JsonRpcServer,
  keypair: Keypair,
  options: Partial<DriftVenueOptions> = {},
): DriftVenue {
  return new DriftVenue({
    env: 'devnet',
    rpcUrl: rpc.url,
    wsUrl: rpc.url.replace('http', 'ws'),
    keypair,
    markets: ['SOL-PERP'],
    subAccount: 0,
    params: DEFAULT_PARAMS,
    logger: recordingLogger(),
    ...options,
  });
}
