import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TakerOrder } from '@drift/domain';
import { engineConfigFromFleet, startSimServer, verifyTakerOrder } from '@drift/sim';
import { recordingLogger } from '@drift/test-support';
import { Keypair } from '@solana/web3.js';
import { createVenue, stopEmbeddedEngine } from 'drift-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fleetConfig } from '../test/config.js';
import { createTakerSource, swiftUrl } from './create-taker-source.js';
import { SwiftClient } from './swift-client.js';

const logger = recordingLogger();
const dir = mkdtempSync(join(tmpdir(), 'swift-client-'));
afterEach(() => stopEmbeddedEngine());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createTakerSource', () => {
  it("paper: streams the embedded simulator's signed taker orders, fillable through createVenue", async () => {
    // The test is the only maker (no rivals, no landing delay), and the 10-slot auction lasts 200 ms
    // of wall time (speed 20): a loaded machine must not make the fill land after the auction.
    const config = fleetConfig({
      sim: {
        seed: 11,
        speed: 20,
        markets: { 'SOL-PERP': { startPrice: '150', volatilityBps: 20 } },
        subAccounts: { '1': { collateral: '100000' } },
        swiftOrdersPerMinute: 120,
        competition: { rivals: [], landingDelayMs: 0 },
      },
    });
    const source = await createTakerSource(config, { logger });
    const venue = await createVenue(config, { logger, subAccount: 1 });
    await venue.connect();
    try {
      const first = await new Promise<TakerOrder>((resolve) => {
        source.subscribe(['SOL-PERP'], resolve);
      });
      expect(first.market).toBe('SOL-PERP');
      expect(verifyTakerOrder(first)).toBe(true);
      // Same engine as the venue: the maker can fill it at the auction's start (best for the taker).
      const fill = await venue.fillTakerOrder(first, {
        price: first.auction.startPrice,
        baseAmount: first.baseAmount,
      });
      expect(fill).toMatchObject({ ok: true });
      if (fill.ok) expect(fill.fills.reduce((s, f) => s + f.baseAmount, 0n)).toBeGreaterThan(0n);
    } finally {
      await source.close();
      await venue.close();
    }
  });

  it("paper: uses the fleet's sim server stream when it answers", async () => {
    const base = fleetConfig();
    const server = await startSimServer({
      port: 0,
      host: '127.0.0.1',
      config: engineConfigFromFleet(base.sim, { markets: base.markets }),
      // Slow enough that the order's 10-slot auction (200 ms of wall time) outlives the check below.
      speed: 20,
    });
    const config = fleetConfig({
      sim: {
        host: '127.0.0.1',
        port: server.port,
        seed: 11,
        markets: { 'SOL-PERP': { startPrice: '150' } },
        swiftOrdersPerMinute: 120,
      },
    });
    const source = await createTakerSource(config, { logger });
    try {
      const order = await new Promise<TakerOrder>((resolve) => {
        source.subscribe(['SOL-PERP'], resolve);
      });
      expect(verifyTakerOrder(order)).toBe(true);
      // It came from the server's engine: that engine knows the order as live.
      expect(server.engine.activeTakerOrders('SOL-PERP').some((o) => o.uuid === order.uuid)).toBe(true);
    } finally {
      await source.close();
      await server.close();
    }
  });

  it('live: a SwiftClient on the configured endpoint, answering with the wallet key', async () => {
    const key = Keypair.generate();
    const keypairPath = join(dir, 'id.json');
    writeFileSync(keypairPath, JSON.stringify([...key.secretKey]));
    const config = fleetConfig({
      mode: 'live',
      wallet: { keypairPath },
      swift: { url: 'https://swift.example.test/ws' },
    });
    const source = await createTakerSource(config, { logger });
    expect(source).toBeInstanceOf(SwiftClient);
    expect((source as SwiftClient).connectUrl).toBe(
      `wss://swift.example.test/ws?pubkey=${key.publicKey.toBase58()}`,
    );
    await source.close();
  });

  it("uses the env's public server only when none is configured", () => {
    expect(swiftUrl(undefined, 'devnet')).toBe('wss://master.swift.drift.trade/ws');
    expect(swiftUrl(undefined, 'mainnet-beta')).toBe('wss://swift.drift.trade/ws');
    expect(swiftUrl('ws://127.0.0.1:9000/x', 'mainnet-beta')).toBe('ws://127.0.0.1:9000/x');
  });
});
