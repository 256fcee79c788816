import { join } from 'node:path';
import { loadFleetConfig } from '@drift/config';
import { findWorkspaceRoot } from '@drift/logging';
import { describe, expect, it } from 'vitest';
import { fleetTakers } from './own-takers.js';

describe('fleetTakers', () => {
  it("every sub-account of the fleet's wallet, including the unassigned sub-account 0", () => {
    const config = loadFleetConfig({ path: join(findWorkspaceRoot()!, 'drift-bots.yaml'), env: {} });
    expect([...fleetTakers(config)].sort()).toEqual([
      'sub-account:0',
      'sub-account:1',
      'sub-account:2',
      'sub-account:3',
    ]);
  });
});
