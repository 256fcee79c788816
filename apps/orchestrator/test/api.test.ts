import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../src/api-server.js';
import type { Fleet } from '../src/fleet.js';
import { createFleetMetrics } from '../src/metrics.js';
import { fixtureFleetWithApi, readRecord, removeDir, tempDir, waitFor } from './fleet-fixture.js';
import { quietLogger } from './quiet-logger.js';

const TOKEN = 'test-token-0123456789abcdef';
let fleet: Fleet;
let api: ApiServer;
let stop: (() => Promise<void>) | undefined;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  ({ fleet, api, stop } = await fixtureFleetWithApi(
    {
      'risk-manager': { kind: 'risk', fixture: 'risk' },
      'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'trades,pnl=-12.5' },
    },
    { record: join(dir, 'r.jsonl'), api: { token: TOKEN } },
  ));
});

afterAll(async () => {
  await stop?.();
  removeDir(dir);
});

async function call(
  path: string,
  init: { method?: string; token?: string; body?: string; auth?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.auth) headers.authorization = init.auth;
  else if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(api.url + path, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

describe('status API', () => {
  it('reports every app with state, pid, uptime, restarts, heartbeat, trading state and PnL', async () => {
    await waitFor(() => fleet.app('hedge-bot').snapshot().status?.pnlQuote === '-12.5', 5000, 'a heartbeat');
    const { status, json } = await call('/api/status');
    expect(status).toBe(200);
    expect(json.apps.map((a: { name: string; state: string }) => [a.name, a.state])).toEqual([
      ['sim', 'running'],
      ['risk-manager', 'running'],
      ['hedge-bot', 'running'],
    ]);
    const bot = json.apps[2];
    expect(bot.pid).toBeGreaterThan(0);
    expect(bot.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(bot.restarts).toBe(0);
    expect(bot.lastHeartbeatAt).toBeGreaterThan(0);
    expect(bot.status).toMatchObject({
      tradingState: 'active',
      pnlQuote: '-12.5',
      ordersPlaced: 3,
      fills: 2,
    });
    // A bot's session figures, ready to show: fill rate, attempts lost by reason, fees, net PnL.
    expect(bot.summary).toEqual({
      fillRate: 0.25,
      attemptsLost: 3,
      lostBy: { 'auction-ended': 2, 'invalid-price': 1 },
      feesPaidQuote: '0.525',
      feesReceivedQuote: '0.0375',
      netPnlQuote: '-12.5',
    });
    expect(json.apps[1].summary).toBeUndefined(); // the risk manager is no bot
    expect(json.risk.state).toBe('active');
  });

  it('refuses mutating calls without the right token, and never echoes it', async () => {
    const none = await call('/api/apps/hedge-bot/stop', { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.json.error).toMatch(/missing token/);
    const wrong = await call('/api/apps/hedge-bot/stop', { method: 'POST', token: 'nope-nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('wrong token');
    const basic = await call('/api/risk/reset', { method: 'POST', auth: `Basic ${TOKEN}` });
    expect(basic.status).toBe(401);
    expect(basic.text).not.toContain(TOKEN);
    expect(fleet.app('hedge-bot').state).toBe('running');
  });

  it('names the problem for unknown apps, actions, endpoints and malformed JSON', async () => {
    const unknown = await call('/api/apps/moon-bot/stop', { method: 'POST', token: TOKEN });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('unknown app "moon-bot": the fleet has sim, risk-manager, hedge-bot');
    const action = await call('/api/apps/hedge-bot/explode', { method: 'POST', token: TOKEN });
    expect(action.status).toBe(404);
    expect(action.json.error).toMatch(/unknown action "explode"/);
    const bad = await call('/api/risk/reset', { method: 'POST', token: TOKEN, body: '{"by": ' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^request body is not valid JSON: /);
    const by = await call('/api/risk/reset', { method: 'POST', token: TOKEN, body: '{"by": 42}' });
    expect(by.status).toBe(400);
    expect(by.json.error).toMatch(/^by: 42 is not an operator name/);
    const get = await call('/api/apps/hedge-bot/stop');
    expect(get.status).toBe(405);
    expect((await call('/api/nothing')).status).toBe(404);
  });

  it('answers malformed percent-encoding in an app name with 400, not 500', async () => {
    for (const name of ['%E0%A4%A', '%', 'hedge%ZZbot']) {
      const res = await call(`/api/apps/${name}/stop`, { method: 'POST', token: TOKEN });
      expect(res.status, name).toBe(400);
      expect(res.json.error).toBe(`app name ${JSON.stringify(name)} is not valid percent-encoding`);
    }
    expect(fleet.app('hedge-bot').snapshot().state).toBe('running');
  });

  it('refuses a Host that is not its address (DNS rebinding) and may not be framed', async () => {
    const port = new URL(api.url).port;
    const get = (host: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/api/status', headers: { host } },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const rebound = await get(`attacker.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('hedge-bot');
    expect(JSON.parse(rebound.body).error).toMatch(/^Host "attacker.example:\d+" is not this API's address/);
    expect((await get(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await get(`localhost:${port}`)).status).toBe(200);
    expect((await get('127.0.0.1:1')).status).toBe(421); // right name, another port
    for (const path of ['/', '/api/status']) {
      const res = await fetch(api.url + path);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('stops an app on purpose (not restarted) and starts it again', async () => {
    const stop = await call('/api/apps/hedge-bot/stop', {
      method: 'POST',
      token: TOKEN,
      body: '{"by":"alice"}',
    });
    expect(stop.status).toBe(200);
    expect(stop.json.app).toMatchObject({ name: 'hedge-bot', state: 'stopped', pid: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(fleet.app('hedge-bot').state).toBe('stopped');
    const start = await call('/api/apps/hedge-bot/start', { method: 'POST', token: TOKEN });
    expect(start.status).toBe(200);
    await waitFor(() => fleet.app('hedge-bot').state === 'running', 10_000, 'running again');
  });

  it('forwards a risk reset to the risk manager, with who asked', async () => {
    process.kill(fleet.app('risk-manager').pid as number, 'SIGUSR1'); // the fixture's halt
    await waitFor(() => fleet.riskVerdict.state === 'halted', 5_000, 'halted');
    const reset = await call('/api/risk/reset', { method: 'POST', token: TOKEN, body: '{"by":"alice"}' });
    expect(reset.status).toBe(202);
    expect(reset.json).toMatchObject({ ok: true, by: 'alice' });
    // The risk manager is told who, answers with it, and the status shows it.
    await waitFor(
      () => readRecord(join(dir, 'r.jsonl')).some((e) => e.event === 'sent-active'),
      5_000,
      'the risk manager to answer',
    );
    const told = readRecord(join(dir, 'r.jsonl')).find(
      (e) => e.event === 'trading-state' && e.state === 'active',
    );
    expect(told).toMatchObject({
      app: 'risk-manager',
      by: 'alice',
      reason: 'orchestrator: operator reset by alice',
    });
    await waitFor(() => fleet.riskVerdict.by === 'alice', 5_000, 'the fleet verdict by alice');
    expect((await call('/api/status')).json.risk).toMatchObject({ state: 'active', by: 'alice' });
  });

  it('asks for the token to read the fleet when listening beyond loopback', async () => {
    const wide = await startApiServer({
      fleet,
      token: TOKEN,
      registry: createFleetMetrics(fleet).registry,
      logger: quietLogger(),
      host: '127.0.0.1',
      port: 0,
      tokenForReads: true, // what a non-loopback host gets by default
    });
    try {
      const url = wide.url;
      expect((await fetch(`${url}/api/status`)).status).toBe(401);
      expect(
        (await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(200);
      expect((await fetch(`${url}/`)).status).toBe(200);
    } finally {
      await wide.close();
    }
  });

  it('exposes Prometheus metrics per app', async () => {
    await waitFor(() => fleet.app('hedge-bot').snapshot().status?.pnlQuote === '-12.5', 5000, 'a heartbeat');
    const { status, text } = await call('/metrics');
    expect(status).toBe(200);
    expect(text).toMatch(/^drift_app_up\{app="risk-manager"\} 1$/m);
    expect(text).toMatch(/^drift_app_pnl_quote\{app="hedge-bot"\} -12\.5$/m);
    expect(text).toMatch(/^drift_app_restarts_total\{app="hedge-bot"\} \d+$/m);
    expect(text).toMatch(/^drift_app_heartbeats_total\{app="hedge-bot"\} [1-9]\d*$/m);
    expect(text).toMatch(/^drift_fleet_trading_state\{state="active"\} 1$/m);
    expect(text).toMatch(/^orchestrator_process_resident_memory_bytes \d+/m);
  });
});
