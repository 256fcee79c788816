export { type MarketSpec, parsePrice } from '@drift/core';

import { findMarket } from '@drift/core';

export const SOL = findMarket('SOL-PERP')!;
export const BTC = findMarket('BTC-PERP')!;
export const ETH = findMarket('ETH-PERP')!;
