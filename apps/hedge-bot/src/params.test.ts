import { join } from 'node:path';
import { ConfigError, type FleetConfig, loadFleetConfig } from '@drift/config';
import { parseBase } from '@drift/domain';
import { findWorkspaceRoot } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import { loadHedgeParams } from './params.js';

const example = loadFleetConfig({ path: join(findWorkspaceRoot()!, 'drift-bots.yaml'), env: {} });

function withParams(patch: Record<string, unknown>): FleetConfig {
  const app = example.apps['hedge-bot']!;
  return {
    ...example,
    apps: { ...example.apps, 'hedge-bot': { ...app, params: { ...(app.params as object), ...patch } } },
  };
}

function problems(config: FleetConfig): string[] {
  try {
    loadHedgeParams(config);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('hedge-bot params', () => {
  it('reads the example config', () => {
    const p = loadHedgeParams(example);
    expect(p.watchSubAccounts).toEqual([1, 3]);
    expect(p.bandBase['SOL-PERP']).toBe(parseBase('20'));
    expect(p.maxOrderBase['BTC-PERP']).toBe(parseBase('0.5'));
    expect(p).toMatchObject({
      maxSlippageBps: 15,
      cooldownMs: 2000,
      orderType: 'market',
      pollIntervalMs: 1000,
    });
  });

  it('names the field and the value of every bad parameter', () => {
    expect(problems(withParams({ maxSlippageBps: -1 }))).toEqual([
      'apps.hedge-bot.params.maxSlippageBps: -1 is not a number of basis points >= 0',
    ]);
    expect(problems(withParams({ maxOrderBase: { 'SOL-PERP': '0', 'BTC-PERP': '0.5' } }))).toEqual([
      'apps.hedge-bot.params.maxOrderBase.SOL-PERP: "0" is not a positive base amount',
    ]);
    expect(problems(withParams({ bandBase: { 'DOGE-PERP': '1' } }))[0]).toMatch(
      /^apps\.hedge-bot\.params\.bandBase: key "DOGE-PERP" is not a known market/,
    );
    expect(problems(withParams({ bandBase: { 'ETH-PERP': '1' } }))).toEqual([
      'apps.hedge-bot.params.maxOrderBase: {"SOL-PERP":"50","BTC-PERP":"0.5"} has no entry for ETH-PERP',
    ]);
    expect(problems(withParams({ watchSubAccounts: [-1] }))).toEqual([
      'apps.hedge-bot.params.watchSubAccounts.0: -1 is not a non-negative integer',
    ]);
    expect(problems(withParams({ orderType: 'stop' }))).toEqual([
      'apps.hedge-bot.params.orderType: "stop" is not market|limit',
    ]);
  });
});
