export { type MarketSpec, parsePrice } from '@drift/domain';

import { findMarket } from '@drift/domain';

export const SOL = findMarket('SOL-PERP')!;
export const BTC = findMarket('BTC-PERP')!;
export const ETH = findMarket('ETH-PERP')!;
