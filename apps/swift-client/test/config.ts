/** swift-client's test fleet: a fast simulator with a busy Swift-like stream. */
import { testFleetConfig } from '@drift/test-support';

export const fleetConfig = (overrides: Record<string, unknown> = {}) =>
  testFleetConfig(overrides, {
    seed: 11,
    speed: 200,
    markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 20 } },
    subAccounts: { '1': { collateral: '100000' } },
    swiftOrdersPerMinute: 120,
  });
