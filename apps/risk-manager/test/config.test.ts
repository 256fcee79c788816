/** Bad limits are clear errors naming the field and the value: @drift/config's schema, then the app's checks. */
import { parseAppParams, parseFleetConfig } from '@drift/config';
import { describe, expect, it } from 'vitest';
import { riskManagerParamsSchema } from '../src/params.js';
import { checkRiskConfig } from '../src/risk-config.js';

const fleet = (risk: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  mode: 'paper',
  markets: ['SOL-PERP', 'BTC-PERP'],
  sim: { markets: { 'SOL-PERP': { startPrice: '150' }, 'BTC-PERP': { startPrice: '65000' } } },
  risk: {
    maxPositionBase: { 'SOL-PERP': '500', 'BTC-PERP': '5' },
    maxGrossNotional: '400000',
    maxLeverage: '5',
    dailyLossLimit: '5000',
    ...risk,
  },
  ...extra,
});

describe('risk limits in the config', () => {
  it('accepts the limits and converts them to precisions', () => {
    const { risk } = parseFleetConfig(fleet({}));
    checkRiskConfig({ markets: ['SOL-PERP', 'BTC-PERP'], risk });
    expect(risk.maxLeverageBps).toBe(50_000n);
    expect(risk.dailyLossLimit).toBe(5_000_000_000n);
  });

  it('names a negative limit and its value', () => {
    expect(() => parseFleetConfig(fleet({ dailyLossLimit: '-5000' }))).toThrow(
      /risk\.dailyLossLimit: "-5000" is not a positive quote amount/,
    );
    expect(() => parseFleetConfig(fleet({ maxPositionBase: { 'SOL-PERP': '-1', 'BTC-PERP': '5' } }))).toThrow(
      /risk\.maxPositionBase\.SOL-PERP: "-1"/,
    );
    expect(() => parseFleetConfig(fleet({ maxOrdersPerMinute: 0 }))).toThrow(/risk\.maxOrdersPerMinute: 0/);
  });

  it('names a traded market without a position limit', () => {
    expect(() => parseFleetConfig(fleet({ maxPositionBase: { 'SOL-PERP': '500' } }))).toThrow(
      /risk\.maxPositionBase\.BTC-PERP: missing/,
    );
  });

  it('names a limit for a market the fleet does not trade (the app check @drift/config leaves out)', () => {
    const config = parseFleetConfig(
      fleet({ maxPositionBase: { 'SOL-PERP': '500', 'BTC-PERP': '5', 'ETH-PERP': '3' } }),
    );
    expect(() => checkRiskConfig(config)).toThrow(
      /risk\.maxPositionBase\.ETH-PERP: a limit for ETH-PERP, which is not in markets \[SOL-PERP, BTC-PERP\]/,
    );
  });

  it('validates its own params', () => {
    const config = parseFleetConfig(
      fleet(
        {},
        { apps: { 'risk-manager': { kind: 'risk', params: { pollIntervalMs: 10, dayStartUtcHour: 24 } } } },
      ),
    );
    expect(() => parseAppParams(config, 'risk-manager', riskManagerParamsSchema)).toThrow(
      /apps\.risk-manager\.params\.pollIntervalMs: 10[\s\S]*apps\.risk-manager\.params\.dayStartUtcHour: 24/,
    );
  });
});
