import { describe, expect, it } from 'vitest';
import { parseChildMessage, parseParentMessage, tradingStateOf } from './ipc.js';

describe('IPC message validation', () => {
  it('accepts a well-formed heartbeat and fills defaults', () => {
    const parsed = parseChildMessage({
      type: 'heartbeat',
      app: 'hedge-bot',
      ts: 1,
      uptimeMs: 2,
      rssBytes: 3,
      status: { tradingState: 'reducing', pnlQuote: '-12.5' },
    });
    expect(parsed).toEqual({
      ok: true,
      message: {
        type: 'heartbeat',
        app: 'hedge-bot',
        ts: 1,
        uptimeMs: 2,
        rssBytes: 3,
        status: {
          tradingState: 'reducing',
          openOrders: 0,
          fills: 0,
          ordersPlaced: 0,
          pnlQuote: '-12.5',
          counters: {},
        },
      },
    });
  });

  it("keeps a bot's fees paid and received", () => {
    const beat = (status: object) =>
      parseChildMessage({ type: 'heartbeat', app: 'b', ts: 1, uptimeMs: 2, rssBytes: 3, status });
    const parsed = beat({ tradingState: 'active', feesPaidQuote: '1.05', feesReceivedQuote: '0.0375' });
    expect(parsed.ok && parsed.message.type === 'heartbeat' && parsed.message.status).toMatchObject({
      feesPaidQuote: '1.05',
      feesReceivedQuote: '0.0375',
    });
    expect(beat({ tradingState: 'active', feesPaidQuote: 'lots' })).toEqual({
      ok: false,
      error: 'malformed heartbeat: status.feesPaidQuote: "lots" is not a decimal string',
    });
  });

  it('names every bad field of a malformed message', () => {
    const parsed = parseChildMessage({
      type: 'heartbeat',
      app: 'x',
      ts: 1,
      uptimeMs: 2,
      rssBytes: 3,
      status: { tradingState: 'active', fills: -1, pnlQuote: 1.5 },
    });
    expect(parsed).toEqual({
      ok: false,
      error:
        'malformed heartbeat: status.fills: -1 is not a non-negative integer; status.pnlQuote: 1.5 is not a decimal string',
    });
  });

  it('refuses unknown types and non-objects', () => {
    expect(parseChildMessage({ type: 'reboot' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('"reboot" is not a known message type'),
    });
    expect(parseParentMessage('halt')).toMatchObject({ ok: false });
    expect(parseParentMessage({ type: 'halt' })).toEqual({
      ok: false,
      error: 'malformed halt: reason: missing (required)',
    });
  });

  it('maps parent messages to trading states', () => {
    const state = (raw: unknown) => {
      const p = parseParentMessage(raw);
      return p.ok ? tradingStateOf(p.message) : p.error;
    };
    expect(state({ type: 'halt', reason: 'daily loss' })).toEqual({ state: 'halted', reason: 'daily loss' });
    expect(state({ type: 'resume' })).toEqual({ state: 'active', reason: 'resumed' });
    expect(state({ type: 'trading-state', state: 'reducing', reason: 'leverage' })).toEqual({
      state: 'reducing',
      reason: 'leverage',
    });
    expect(state({ type: 'stop' })).toBeUndefined();
    expect(state({ type: 'stop-after', pids: [12], waitMs: 3000 })).toBeUndefined();
  });

  it('carries who asked for a trading-state change, and refuses a by that is no name', () => {
    const state = (raw: unknown) => {
      const p = parseParentMessage(raw);
      return p.ok ? tradingStateOf(p.message) : p.error;
    };
    expect(state({ type: 'resume', reason: 'operator reset by alice', by: 'alice' })).toEqual({
      state: 'active',
      reason: 'operator reset by alice',
      by: 'alice',
    });
    expect(state({ type: 'halt', reason: 'daily loss', by: 'risk-manager' })).toMatchObject({
      by: 'risk-manager',
    });
    expect(state({ type: 'resume', by: '' })).toBe('malformed resume: by: "" is empty');
    expect(state({ type: 'halt', reason: 'x', by: 7 })).toBe('malformed halt: by: 7 is not a name');
    const report = parseChildMessage({
      type: 'risk-state',
      state: 'active',
      reason: 'reset',
      ts: 1,
      by: 'alice',
    });
    expect(report).toMatchObject({ ok: true, message: { by: 'alice' } });
  });

  it('accepts a risk-state report from the risk manager', () => {
    const p = parseChildMessage({
      type: 'risk-state',
      state: 'halted',
      reason: 'daily loss',
      breaches: ['dailyLoss: 5100 > 5000'],
      ts: 5,
    });
    expect(p.ok && p.message.type === 'risk-state' && p.message.breaches).toEqual(['dailyLoss: 5100 > 5000']);
  });
});
