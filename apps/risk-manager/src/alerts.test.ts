import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupUtilityLogging } from '@drift/logging';
import { afterEach, describe, expect, it } from 'vitest';
import { type Alert, AlertDispatcher, alertBody, type Webhook } from './alerts.js';

const logger = setupUtilityLogging('risk-manager-test', { logLevel: 'silent' });
const alert: Alert = {
  state: 'halted',
  previous: 'active',
  reason: 'daily loss limit breached',
  by: 'risk-manager',
  at: new Date('2026-01-02T03:04:05Z'),
  breaches: ['dailyLoss: fleet equity down 6000 USDC, limit 5000'],
};

interface Received {
  path: string;
  body: Record<string, unknown>;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function webhookServer(
  behaviour: 'ok' | 'hang' = 'ok',
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      if (behaviour === 'ok') res.end('ok');
      // 'hang': never answer
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('webhook alerts', () => {
  it('posts each format with the body its service expects', async () => {
    const { url, received } = await webhookServer();
    const hooks: Webhook[] = [
      { format: 'slack', url: `${url}/slack` },
      { format: 'discord', url: `${url}/discord` },
      { format: 'telegram', url: `${url}/bot123:SECRET/sendMessage`, chatId: '-1001' },
    ];
    const dispatcher = new AlertDispatcher(hooks, logger);
    dispatcher.notify(alert);
    await dispatcher.idle();
    const byPath = Object.fromEntries(received.map((r) => [r.path, r.body]));
    expect(byPath['/slack']?.text).toMatch(/active -> HALTED[\s\S]*daily loss limit breached/);
    expect(byPath['/discord']?.content).toMatch(/HALTED/);
    expect(byPath['/bot123:SECRET/sendMessage']).toMatchObject({
      chat_id: '-1001',
      text: expect.stringMatching(/HALTED/),
    });
  });

  it('a dead or hanging webhook never blocks: notify returns at once and times out quietly', async () => {
    const hanging = await webhookServer('hang');
    const dispatcher = new AlertDispatcher(
      [
        { format: 'slack', url: `${hanging.url}/x` },
        { format: 'discord', url: 'http://127.0.0.1:9/dead' },
      ],
      logger,
      300,
    );
    const started = Date.now();
    dispatcher.notify(alert);
    expect(Date.now() - started).toBeLessThan(50);
    await dispatcher.idle();
    expect(hanging.received).toHaveLength(1);
  });

  it('truncates a Discord message to its 2000-character limit', () => {
    const long = {
      ...alert,
      breaches: Array.from({ length: 200 }, (_, i) => `breach number ${i} with some detail`),
    };
    const body = alertBody({ format: 'discord', url: 'http://127.0.0.1/' }, long);
    expect(String(body.content).length).toBe(2000);
  });
});
