import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from './data-dir.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('dataDir', () => {
  it('is DRIFT_DATA_DIR when set (relative to the cwd), else <workspace root>/data', () => {
    expect(dataDir({ env: { DRIFT_DATA_DIR: '/tmp/fleet-a' } })).toBe('/tmp/fleet-a');
    expect(dataDir({ env: { DRIFT_DATA_DIR: 'state' }, cwd: '/srv/bots' })).toBe('/srv/bots/state');
    expect(dataDir({ env: {}, cwd: join(ROOT, 'apps') })).toBe(join(ROOT, 'data'));
    expect(dataDir({ env: {}, root: '/srv/ws' })).toBe('/srv/ws/data');
  });

  it('takes an empty DRIFT_DATA_DIR as unset', () => {
    expect(dataDir({ env: { DRIFT_DATA_DIR: '' }, root: '/srv/ws' })).toBe('/srv/ws/data');
  });
});
