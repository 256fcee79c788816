/** A small simulated fleet for the tests: fixed seed, zero fees, auctions settling at the oracle. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFleetConfig } from '@drift/config';
import {
  type DataFreshness,
  findMarket,
  type LimitSet,
  parseBase,
  parsePrice,
  parseQuote,
} from '@drift/domain';
import { type Logger, setupUtilityLogging } from '@drift/logging';
import { parseOracleCsv, SimEngine, SimVenue } from '@drift/sim';
import { AlertDispatcher } from '../src/alerts.js';
import { RiskMonitor, type StateChange } from '../src/monitor.js';

export const SOL = findMarket('SOL-PERP')!;
export const quiet = setupUtilityLogging('risk-manager-test', { logLevel: 'silent' });

/** `risk` section as an operator writes it, validated by @drift/config. */
export function limitsFrom(risk: Record<string, unknown>): LimitSet {
  const config = parseFleetConfig({
    mode: 'paper',
    markets: ['SOL-PERP'],
    sim: { markets: { 'SOL-PERP': { startPrice: '150' } } },
    risk: {
      maxPositionBase: { 'SOL-PERP': '1000' },
      maxGrossNotional: '10000000',
      maxLeverage: '10',
      dailyLossLimit: '5000',
      staleOracleMs: 5000,
      maxOrdersPerMinute: 600,
      ...risk,
    },
  });
  return config.risk;
}

/** SOL-PERP replaying `prices` (`ms,price` lines); sub-accounts 1..3 with the given collateral. */
export function fleetEngine(
  opts: { prices?: string; collateral?: string; oracleIntervalSlots?: number; startTs?: number } = {},
) {
  const replay = parseOracleCsv(`timestamp,price\n${opts.prices ?? '0,150'}\n`, SOL.tickSize);
  const collateral = parseQuote(opts.collateral ?? '100000');
  return new SimEngine({
    seed: 7,
    markets: [{ spec: SOL, startPrice: 0n, replay }],
    subAccounts: { 1: collateral, 2: collateral, 3: collateral },
    takerFeeRate: 0n,
    makerFeeRate: 0n,
    auction: { durationSlots: 0, startOffsetBps: 0, endOffsetBps: 0, backstop: true },
    ...(opts.oracleIntervalSlots !== undefined && { oracleIntervalSlots: opts.oracleIntervalSlots }),
    ...(opts.startTs !== undefined && { startTs: opts.startTs }),
  });
}

export function tempStatePath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'risk-manager-')), 'risk-state.json');
}

/** A monitor over a connected embedded venue that sees every sub-account (as main.ts builds it). */
export async function monitorOf(
  engine: SimEngine,
  limits: LimitSet,
  statePath: string,
  extra: {
    alerts?: AlertDispatcher;
    logger?: Logger;
    changes?: StateChange[];
    freshness?: DataFreshness;
  } = {},
): Promise<RiskMonitor> {
  const logger = extra.logger ?? quiet;
  const venue = SimVenue.embedded(engine, 0, { allSubAccounts: true });
  await venue.connect();
  return new RiskMonitor({
    venue,
    limits,
    statePath,
    alerts: extra.alerts ?? new AlertDispatcher([], logger),
    logger,
    onStateChange: (c) => extra.changes?.push(c),
    ...(extra.freshness && { freshness: extra.freshness }),
  });
}

export const buy = (base: string) =>
  ({ market: 'SOL-PERP', side: 'buy', type: 'market', baseAmount: parseBase(base) }) as const;

/** A market buy that must fill (at the oracle: zero fees, zero auction offsets). */
export function fill(engine: SimEngine, subAccount: number, base: string): void {
  const result = engine.place(subAccount, buy(base));
  if (!result.ok)
    throw new Error(`buy ${base} SOL on sub-account ${subAccount} refused: ${JSON.stringify(result)}`);
}

/** Resting limit order far from the oracle, so it never fills. */
export const restingBid = (price = '100') =>
  ({
    market: 'SOL-PERP',
    side: 'buy',
    type: 'limit',
    baseAmount: 1_000_000_000n,
    price: parsePrice(price),
    postOnly: true,
  }) as const;
