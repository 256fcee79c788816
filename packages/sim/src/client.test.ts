import type { VenueEvent } from '@drift/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flatEngine } from '../test/helpers.js';
import { type SimServer, startSimServer } from './server.js';
import { SimVenue } from './venue.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('remote SimVenue connection', () => {
  it('fails to connect while no server listens, then connects once one does', async () => {
    const engine = flatEngine();
    const first = await startSimServer({ port: 0, engine });
    const { port } = first;
    await first.close();
    const venue = SimVenue.remote(`ws://127.0.0.1:${port}`, 1);
    await expect(venue.connect()).rejects.toThrow(/ECONNREFUSED/);
    const server = await startSimServer({ port, engine });
    cleanup.push(
      () => server.close(),
      () => venue.close(),
    );
    await venue.connect();
    expect((await venue.getAccount()).subAccount).toBe(1);
  });

  it('refuses a request once closed, opening no connection that would keep the process alive', async () => {
    const server = await startSimServer({ port: 0, engine: flatEngine() });
    cleanup.push(() => server.close());
    const venue = SimVenue.remote(server.url, 1);
    await venue.connect();
    await venue.close();
    await expect(venue.getOpenOrders()).rejects.toThrow(/closed/);
    await new Promise((r) => setTimeout(r, 100));
    const sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPWRAP');
    expect(sockets).toEqual([]);
  });

  it('reconnects after the server restarts and subscribes again', async () => {
    const engine = flatEngine();
    let server: SimServer = await startSimServer({ port: 0, engine });
    const { port } = server;
    cleanup.push(() => server.close());
    const venue = SimVenue.remote(server.url, 1);
    await venue.connect();
    cleanup.push(() => venue.close());
    const events: VenueEvent[] = [];
    venue.subscribe((e) => events.push(e));
    await server.close();
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'connection', state: 'disconnected' }));
    await expect(venue.getOpenOrders()).rejects.toThrow();
    server = await startSimServer({ port, engine });
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'connection', state: 'connected' }), {
      timeout: 5_000,
    });
    await vi.waitFor(async () => {
      engine.advanceSlots(1);
      expect(events.some((e) => e.type === 'oracle')).toBe(true);
    });
    expect(await venue.getOpenOrders()).toEqual([]);
  });
});
