/** Fleet configs for tests, through core's real parser. */
import { type FleetConfig, parseFleetConfig } from '@drift/core';

export function fleetConfig(overrides: Record<string, unknown> = {}): FleetConfig {
  return parseFleetConfig({
    mode: 'paper',
    env: 'devnet',
    markets: ['SOL-PERP'],
    rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }], proxy: { host: '127.0.0.1', port: 1 } },
    sim: {
      host: '127.0.0.1',
      port: 1,
      seed: 11,
      speed: 200,
      markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 20 } },
      subAccounts: { '1': { collateral: '100000' } },
      swiftOrdersPerMinute: 120,
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
