import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBase, parsePrice } from '@drift/domain';
import { engineConfigFromFleet, type SimServer, startSimServer } from '@drift/sim';
import { recordingLogger, testFleetConfig } from '@drift/test-support';
import { Keypair } from '@solana/web3.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createVenue } from './create-venue.js';
import { DriftVenue } from './drift-venue.js';
import { stopEmbeddedEngine } from './paper.js';

const logger = recordingLogger();
const dir = mkdtempSync(join(tmpdir(), 'drift-client-venue-'));
let server: SimServer | undefined;

afterEach(async () => {
  stopEmbeddedEngine();
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createVenue in paper mode', () => {
  it('embeds the simulator when no sim server answers, and trades on it', async () => {
    const venue = await createVenue(testFleetConfig(), { logger, subAccount: 1 });
    expect(venue.kind).toBe('sim');
    await venue.connect();
    try {
      expect((await venue.getOraclePrice('SOL-PERP')).price).toBe(parsePrice('150'));
      const placed = await venue.placeOrder({
        market: 'SOL-PERP',
        side: 'buy',
        type: 'limit',
        baseAmount: parseBase('1'),
        price: parsePrice('140'),
      });
      expect(placed.ok).toBe(true);
      expect((await venue.getOpenOrders()).map((o) => o.price)).toEqual([parsePrice('140')]);
    } finally {
      await venue.close();
    }
  });

  it('shares one embedded engine between venues of the same process', async () => {
    const a = await createVenue(testFleetConfig(), { logger, subAccount: 1 });
    const b = await createVenue(testFleetConfig(), { logger, subAccount: 2 });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.placeOrder({
        market: 'SOL-PERP',
        side: 'sell',
        type: 'limit',
        baseAmount: parseBase('1'),
        price: parsePrice('151'),
      });
      const book = await b.getTopOfBook('SOL-PERP');
      expect(book.bestAsk?.price).toBe(parsePrice('151'));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('uses the shared sim server when it answers on sim.host:sim.port', async () => {
    server = await startFleetSimServer();
    // The order rests in the server's engine, where the rest of the fleet sees it.
    await expectOrderOnServer(server, server.port, '2');
  });

  it('waits for a sim server that is there but slow, never trading on an embedded one meanwhile', async () => {
    server = await startFleetSimServer();
    // A loaded machine's sim server: it accepts connections but answers nothing for 1.5 s.
    const slow = await slowProxy(server.port, 1_500);
    try {
      await expectOrderOnServer(server, slow.port, '3');
    } finally {
      slow.close();
    }
  });
});

function startFleetSimServer(): Promise<SimServer> {
  const base = testFleetConfig();
  return startSimServer({
    port: 0,
    host: '127.0.0.1',
    config: engineConfigFromFleet(base.sim, { markets: base.markets }),
  });
}

/** A venue made for a fleet whose sim is at `port` places a bid that rests in `sim`'s engine. */
async function expectOrderOnServer(sim: SimServer, port: number, size: string): Promise<void> {
  const venue = await createVenue(testFleetConfig({ sim: { ...rawSim(), port } }), { logger, subAccount: 1 });
  await venue.connect();
  try {
    const placed = await venue.placeOrder({
      market: 'SOL-PERP',
      side: 'buy',
      type: 'limit',
      baseAmount: parseBase(size),
      price: parsePrice('145'),
    });
    expect(placed.ok).toBe(true);
    expect(sim.engine.openOrdersList({ subAccount: 1 }).map((o) => o.baseAmount)).toEqual([parseBase(size)]);
  } finally {
    await venue.close();
  }
}

/** A TCP proxy to `port` on loopback that holds every connection for `holdMs` from its start. */
async function slowProxy(port: number, holdMs: number): Promise<{ port: number; close(): void }> {
  const opensAt = Date.now() + holdMs;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    sockets.add(client);
    client.pause();
    setTimeout(
      () => {
        const upstream = connect(port, '127.0.0.1', () => {
          client.pipe(upstream).pipe(client);
          client.resume();
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      },
      Math.max(0, opensAt - Date.now()),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    close() {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

describe('createVenue in live mode', () => {
  it('builds a DriftVenue from the keypair file, without connecting', async () => {
    const key = Keypair.generate();
    const keypairPath = join(dir, 'id.json');
    writeFileSync(keypairPath, JSON.stringify([...key.secretKey]));
    const venue = await createVenue(testFleetConfig({ mode: 'live', wallet: { keypairPath } }), {
      logger,
      subAccount: 3,
    });
    expect(venue).toBeInstanceOf(DriftVenue);
    expect(venue.kind).toBe('drift');
    expect(venue.subAccount).toBe(3);
    expect((venue as DriftVenue).authority).toBe(key.publicKey.toBase58());
  });

  it("follows every sub-account the fleet's apps trade on for the risk manager ('all')", async () => {
    const apps = {
      'jit-mm-swift': { subAccount: 1 },
      'hedge-bot': { subAccount: 2 },
      'trend-bot': { subAccount: 3, enabled: false },
    };
    const venue = await createVenue(
      testFleetConfig({ mode: 'live', wallet: { keypairPath: '/unused' }, apps }),
      {
        logger,
        keypair: Keypair.generate(),
        rpcUrl: 'http://127.0.0.1:1',
        subAccounts: 'all',
      },
    );
    expect(await venue.subAccounts()).toEqual([0, 1, 2]);
  });
});

function rawSim() {
  return {
    host: '127.0.0.1',
    seed: 7,
    markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 0 } },
    subAccounts: { '1': { collateral: '10000' } },
    swiftOrdersPerMinute: 0,
  };
}
