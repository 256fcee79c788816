/**
 * The venue connection drops (sim server gone), the market trades on, the connection comes back:
 * the manager reconciles on reconnect and learns what it missed.
 */
import { join } from 'node:path';
import { type SimServer, SimVenue, startSimServer } from '@drift/sim';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OrderManager } from '../src/index.js';
import { base, buy, flatEngine, recordingLogger, sell, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
const closers: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  tmp = tempDir();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  tmp.cleanup();
});

it('reconciles after the venue reconnects: a fill missed while disconnected is applied', async () => {
  const engine = flatEngine();
  let server: SimServer = await startSimServer({ port: 0, engine });
  const port = server.port;
  closers.push(() => server.close());
  const venue = SimVenue.remote(server.url, 1);
  await venue.connect();
  closers.push(() => venue.close());
  const logs = recordingLogger();
  const om = new OrderManager({
    bot: 'rc',
    venue,
    journal: join(tmp.dir, 'rc.sqlite'),
    logger: logs,
    rateLimit: false,
  });
  closers.push(() => om.stop({ cancel: false }));
  await om.start();
  const r = await om.place(buy('149', '2'));
  if (!r.ok) throw new Error(r.message);

  await server.close();
  await expect.poll(() => logs.lines.some((l) => l.msg === 'venue disconnected')).toBe(true);
  engine.place(2, sell('149', '2')); // fills the bot's order while it cannot hear about it
  expect(om.get(r.order.clientOrderId)?.status).toBe('open');

  server = await startSimServer({ port, engine });
  await expect.poll(() => om.get(r.order.clientOrderId)?.status, { timeout: 5_000 }).toBe('filled');
  expect(om.get(r.order.clientOrderId)?.filledBase).toBe(base('2'));
  expect(om.journal.fillsFor(r.order)).toHaveLength(1);
});
