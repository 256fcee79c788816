/** Alerts from the service: every format on a state change; a dead endpoint never delays a halt. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertDispatcher, type Webhook } from '../src/alerts.js';
import { loadRiskState } from '../src/state-store.js';
import { fill, fleetEngine, limitsFrom, monitorOf, quiet, restingBid, tempStatePath } from './fleet.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function webhookServer(answer: boolean) {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      if (answer) res.end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** 100 SOL long, SOL 150 -> 90: a 6000 USDC loss against a 5000 limit. */
async function haltWith(alerts: AlertDispatcher) {
  const engine = fleetEngine({ prices: '0,150\n1000,90' });
  const statePath = tempStatePath();
  const monitor = await monitorOf(engine, limitsFrom({ dailyLossLimit: '5000' }), statePath, { alerts });
  fill(engine, 1, '100');
  engine.place(2, restingBid('80'));
  await monitor.evaluate();
  engine.advance(1200);
  const started = performance.now();
  await monitor.evaluate();
  return { engine, monitor, statePath, ms: performance.now() - started };
}

describe('alerts on state changes', () => {
  it('posts the halt to Slack, Discord and Telegram webhooks', async () => {
    const { url, received } = await webhookServer(true);
    const hooks: Webhook[] = [
      { format: 'slack', url: `${url}/slack` },
      { format: 'discord', url: `${url}/discord` },
      { format: 'telegram', url: `${url}/bot1:T/sendMessage`, chatId: '42' },
    ];
    const alerts = new AlertDispatcher(hooks, quiet);
    const { monitor } = await haltWith(alerts);
    await alerts.idle();
    expect(monitor.state).toBe('halted');
    const byPath = Object.fromEntries(received.map((r) => [r.path, r.body]));
    expect(byPath['/slack']?.text).toMatch(/active -> HALTED[\s\S]*fleet lost 6000/);
    expect(byPath['/discord']?.content).toMatch(/active -> HALTED[\s\S]*by: risk-manager/);
    expect(byPath['/bot1:T/sendMessage']).toMatchObject({
      chat_id: '42',
      text: expect.stringMatching(/HALTED/),
    });
  });

  it('a hanging or dead webhook never delays the halt', async () => {
    const hanging = await webhookServer(false);
    const alerts = new AlertDispatcher(
      [
        { format: 'slack', url: `${hanging.url}/hang` },
        { format: 'discord', url: 'http://127.0.0.1:9/dead' },
      ],
      quiet,
      5_000,
    );
    const { engine, monitor, statePath, ms } = await haltWith(alerts);
    expect(monitor.state).toBe('halted');
    expect(loadRiskState(statePath)?.state).toBe('halted');
    expect(engine.openOrdersList()).toEqual([]);
    expect(ms).toBeLessThan(2_000); // the hanging hook would hold it for its 5 s timeout
    await expect.poll(() => hanging.received.length).toBe(1); // it was asked, and is still hanging
  });
});
