import { PerpMarkets } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { perpMarketConfigs } from './markets.js';

describe('perpMarketConfigs', () => {
  it('resolves symbols to the SDK market configs of the env', () => {
    const [sol, btc] = perpMarketConfigs('mainnet-beta', ['SOL-PERP', 'BTC-PERP']);
    expect(sol?.marketIndex).toBe(0);
    expect(btc?.marketIndex).toBe(1);
    expect(sol).toBe(PerpMarkets['mainnet-beta'].find((m) => m.symbol === 'SOL-PERP'));
  });

  it('names a symbol the env does not list', () => {
    expect(() => perpMarketConfigs('devnet', ['SOL-PERP', 'NOPE-PERP'])).toThrow(
      /markets: "NOPE-PERP" is not a Drift devnet perp market/,
    );
  });
});
