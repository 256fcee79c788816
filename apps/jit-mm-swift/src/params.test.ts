import { join } from 'node:path';
import { ConfigError, type FleetConfig, loadFleetConfig } from '@drift/config';
import { parseBase } from '@drift/domain';
import { findWorkspaceRoot } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import { loadJitParams } from './params.js';

const example = loadFleetConfig({ path: join(findWorkspaceRoot()!, 'drift-bots.yaml'), env: {} });

function withParams(patch: Record<string, unknown>): FleetConfig {
  const app = example.apps['jit-mm-swift']!;
  return {
    ...example,
    apps: { ...example.apps, 'jit-mm-swift': { ...app, params: { ...(app.params as object), ...patch } } },
  };
}

function problems(config: FleetConfig): string[] {
  try {
    loadJitParams(config);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('jit-mm-swift params', () => {
  it('reads the example config', () => {
    const p = loadJitParams(example);
    expect(p.markets).toEqual(['SOL-PERP', 'BTC-PERP']);
    expect(p.edgeBps).toBe(4);
    expect(p.maxPositionBase['SOL-PERP']).toBe(parseBase('200'));
    expect(p.volWindowMs).toBe(60_000);
    expect(p.verifyOn).toBe('main-thread');
  });

  it('verifyOn: main-thread or threadpool, anything else named', () => {
    expect(loadJitParams(withParams({ verifyOn: 'threadpool' })).verifyOn).toBe('threadpool');
    expect(problems(withParams({ verifyOn: 'gpu' }))[0]).toMatch(
      /^apps\.jit-mm-swift\.params\.verifyOn: .*gpu/,
    );
  });

  it('names the field and the value of every bad parameter', () => {
    expect(problems(withParams({ edgeBps: -5 }))).toEqual([
      'apps.jit-mm-swift.params.edgeBps: -5 is not a number of basis points >= 0',
    ]);
    expect(problems(withParams({ maxPositionBase: { 'SOL-PERP': '0', 'BTC-PERP': '2' } }))).toEqual([
      'apps.jit-mm-swift.params.maxPositionBase.SOL-PERP: "0" is not a positive base amount',
    ]);
    expect(problems(withParams({ markets: ['DOGE-PERP'] }))[0]).toMatch(
      /^apps\.jit-mm-swift\.params\.markets\.0: "DOGE-PERP" is not a known market/,
    );
    expect(problems(withParams({ markets: ['SOL-PERP', 'ETH-PERP'] }))).toEqual([
      'apps.jit-mm-swift.params.maxOrderBase: {"SOL-PERP":"25","BTC-PERP":"0.2"} has no entry for ETH-PERP',
      'apps.jit-mm-swift.params.maxPositionBase: {"SOL-PERP":"200","BTC-PERP":"2"} has no entry for ETH-PERP',
    ]);
    expect(problems(withParams({ edgBps: 4 }))[0]).toMatch(/unknown key "edgBps"/);
    expect(problems(withParams({ volGuardBps: 2.5 }))).toEqual([
      'apps.jit-mm-swift.params.volGuardBps: 2.5 is not a whole number of basis points',
    ]);
  });
});
