import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { riskStatePath } from './state-path.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('riskStatePath', () => {
  it('follows DRIFT_DATA_DIR like the rest of the fleet; RISK_STATE_FILE still wins', () => {
    expect(riskStatePath({ DRIFT_DATA_DIR: '/tmp/fleet-b' }, ROOT)).toBe('/tmp/fleet-b/risk-state.json');
    expect(riskStatePath({ DRIFT_DATA_DIR: '/tmp/fleet-b', RISK_STATE_FILE: 'x.json' }, '/srv')).toBe(
      '/srv/x.json',
    );
    expect(riskStatePath({}, path.join(ROOT, 'apps/risk-manager'))).toBe(
      path.join(ROOT, 'data/risk-state.json'),
    );
  });
});
