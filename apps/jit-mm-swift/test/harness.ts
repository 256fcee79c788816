/** An embedded simulator, a real OrderManager with a temp journal, and the maker under test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findMarket,
  type LimitSet,
  parseBase,
  parsePrice,
  parseQuote,
  type TakerOrderSource,
} from '@drift/domain';
import { type SimEngine, type SimEngineConfig, SimTakerStream, SimVenue } from '@drift/sim';
import { type LogLine, recordingLogger } from '@drift/test-support';
import { startRiskCheckedOrders } from 'order-management';
import { JitMaker, type JitMakerDeps } from '../src/bot.js';
import type { JitParams } from '../src/params.js';
import { TakerVerifier } from '../src/taker-verifier.js';

export { type LogLine, recordingLogger };

export const SUB = 1;
/** Another bot of the fleet, whose market orders the maker must leave alone. */
export const FLEET_BOT = 2;
/** A sub-account outside the fleet. */
export const OUTSIDER = 7;
export const SOL = findMarket('SOL-PERP')!;

export const LIMITS: LimitSet = {
  maxPositionBase: { 'SOL-PERP': parseBase('500') },
  maxGrossNotional: parseQuote('1000000'),
  maxLeverageBps: 50_000n,
  dailyLossLimit: parseQuote('5000'),
  staleOracleMs: 5_000,
  maxOrdersPerMinute: 100_000,
};

export const PARAMS: JitParams = {
  markets: ['SOL-PERP'],
  edgeBps: 4,
  maxOrderBase: { 'SOL-PERP': parseBase('10') },
  maxPositionBase: { 'SOL-PERP': parseBase('30') },
  inventorySkewBps: 4,
  volGuardBps: 60,
  volWindowMs: 10_000,
  minTimeLeftSlots: 1,
  verifyOn: 'main-thread',
};

export function engineConfig(overrides: Partial<SimEngineConfig> = {}): SimEngineConfig {
  return {
    seed: 11,
    markets: [{ spec: SOL, startPrice: parsePrice('150'), volatilityBps: 40 }],
    subAccounts: { [SUB]: parseQuote('50000') },
    makerFeeRate: -25n,
    takerFlow: { ordersPerMinute: 150 },
    ...overrides,
  };
}

export async function startMaker(
  engine: SimEngine,
  params: JitParams = PARAMS,
  takers: TakerOrderSource = SimTakerStream.embedded(engine),
  verify: JitMakerDeps['verify'] = new TakerVerifier().verify,
) {
  const dir = mkdtempSync(join(tmpdir(), 'jit-mm-swift-'));
  const lines: LogLine[] = [];
  const logger = recordingLogger(lines);
  const venue = SimVenue.embedded(engine, SUB);
  await venue.connect();
  const orders = await startRiskCheckedOrders({
    bot: 'jit-mm-swift',
    venue,
    journal: join(dir, 'jit.orders.sqlite'),
    logger,
    rateLimit: false,
    limits: LIMITS,
  });
  const maker = new JitMaker({
    venue,
    takers,
    orders,
    logger,
    params,
    verify,
    ownTakers: new Set([`sub-account:${FLEET_BOT}`]),
  });
  await maker.start();
  return {
    maker,
    orders,
    venue,
    lines,
    /** Advances the simulator one slot at a time, letting the maker finish each slot's work. */
    async runSlots(n: number) {
      for (let i = 0; i < n; i++) {
        engine.advanceSlots(1);
        await maker.idle();
      }
    },
    async close() {
      await maker.stop();
      await orders.stop({ cancel: false });
      await venue.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
