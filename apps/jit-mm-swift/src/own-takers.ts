import type { FleetConfig } from '@drift/config';

/**
 * The fleet's own takers in paper mode (the hedge and trend bots' auctions, the risk view's
 * sub-account 0): every sub-account of the fleet's wallet, funded in `sim.subAccounts` or traded
 * by an app. Not ours to fill — as live, where drift-client's auction source skips the wallet.
 */
export function fleetTakers(config: FleetConfig): Set<string> {
  const subs = [
    ...Object.keys(config.sim.subAccounts).map(Number),
    ...Object.values(config.apps).flatMap((a) => (a.subAccount === undefined ? [] : [a.subAccount])),
  ];
  return new Set(subs.map((sub) => `sub-account:${sub}`));
}
