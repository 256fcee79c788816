/** A small paper fleet config for tests, through @drift/config's real parser (real defaults and conversions). */
import { type FleetConfig, parseFleetConfig } from '@drift/config';

/** `overrides` replace top-level sections; `sim` is merged into the simulator section. */
export function testFleetConfig(
  overrides: Record<string, unknown> = {},
  sim: Record<string, unknown> = {},
): FleetConfig {
  return parseFleetConfig({
    mode: 'paper',
    env: 'devnet',
    markets: ['SOL-PERP'],
    rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }], proxy: { host: '127.0.0.1', port: 1 } },
    sim: {
      host: '127.0.0.1',
      port: 1,
      seed: 7,
      markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 0 } },
      subAccounts: { '1': { collateral: '10000' } },
      swiftOrdersPerMinute: 0,
      ...sim,
    },
    risk: {
      maxPositionBase: { 'SOL-PERP': '100' },
      maxGrossNotional: '1000000',
      maxLeverage: '5',
      dailyLossLimit: '1000',
    },
    ...overrides,
  });
}
