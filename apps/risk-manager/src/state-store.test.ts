import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRiskState, saveRiskState } from './state-store.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'risk-state-'));

describe('risk state store', () => {
  it('round-trips a halt and reports no state when the file does not exist', () => {
    const file = path.join(tmp(), 'nested', 'risk-state.json');
    expect(loadRiskState(file)).toBeUndefined();
    const halt = {
      state: 'halted' as const,
      reason: 'dailyLoss',
      by: 'risk-manager',
      since: '2026-01-01T00:00:00.000Z',
      breaches: ['x'],
    };
    saveRiskState(file, halt);
    expect(loadRiskState(file)).toEqual(halt);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['risk-state.json']);
  });

  it('refuses a corrupt or unknown state with an error naming the file and the value', () => {
    const dir = tmp();
    const bad = path.join(dir, 'a.json');
    fs.writeFileSync(bad, '{"state": "paused"}');
    expect(() => loadRiskState(bad)).toThrow(
      /a\.json: state "paused" is not one of active, reducing, halted/,
    );
    fs.writeFileSync(bad, '{oops');
    expect(() => loadRiskState(bad)).toThrow(/not valid JSON/);
  });
});
