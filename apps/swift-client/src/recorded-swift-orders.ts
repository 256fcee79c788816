/**
 * Live Swift orders replayed on paper (a `--record` file in `sim.replayStream`): the simulator serves
 * them with the message and signature Swift delivered, so a paper maker checks them in Swift's
 * format with swift-client's own checks (`verifySwiftTakerOrder`). The SDK that decodes the message
 * is loaded on the first such order only: a paper process trading the simulator's stream never loads it.
 */

import type { FleetConfig } from '@drift/config';
import type { TakerOrder } from '@drift/domain';

/** Swift's signed bytes are the hex text of the borsh message (the simulator signs JSON). */
export function isSwiftMessage(message: Uint8Array): boolean {
  if (message.length === 0 || message.length % 2 !== 0) return false;
  for (const byte of message) {
    const hexDigit =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46);
    if (!hexDigit) return false;
  }
  return true;
}

/**
 * A checker of Swift-format orders for `env`'s markets: a promise until the SDK is loaded (the
 * first order), then a verdict at once.
 */
export function recordedSwiftOrderVerifier(
  env: FleetConfig['env'],
): (order: TakerOrder) => boolean | Promise<boolean> {
  let verify: ((order: TakerOrder) => boolean) | undefined;
  let loading: Promise<(order: TakerOrder) => boolean> | undefined;
  return (order) => {
    if (verify) return verify(order);
    loading ??= Promise.all([import('./swift-order.js'), import('drift-client/live')]).then(
      ([{ verifySwiftTakerOrder }, { offlineDriftClient }]) => {
        const decoder = offlineDriftClient(env);
        verify = (o) => verifySwiftTakerOrder(o, { decoder, env });
        return verify;
      },
    );
    return loading.then((check) => check(order));
  };
}
