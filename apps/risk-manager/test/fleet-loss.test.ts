/**
 * The e2e session's crafted loss, cheaply: the real sim server (as the orchestrator runs it, clock at
 * 30x) and the real risk-manager process watching it over the wire. A trader on sub-account 0 (funded,
 * traded by no bot) loses through market-order round trips placed with the sim's `POST /rpc`; each
 * auction ends at the backstop (~0.3 % slippage a side plus the taker fee). The risk manager must halt
 * the fleet on the daily loss it observes on the venue, soon after the loss passes the limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadFleetConfig } from '@drift/config';
import { formatQuote, parseQuote } from '@drift/domain';
import { engineConfigFromFleet, type SimServer, startSimServer } from '@drift/sim';
import { type AppProcess, freePort, startAppProcess } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRiskState } from '../src/state-store.js';
import { tempStatePath } from './fleet.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const LIMIT = '2000';
/** Per leg, as the session's craftedLoss: 100 SOL lost ~100 USDC a round trip, 12 of them ~1,240 < 2,000. */
const LEG_BASE = '300000000000';

const fleetYaml = (simPort: number) => `
mode: paper
markets: [SOL-PERP]
sim:
  host: 127.0.0.1
  port: ${simPort}
  seed: 42
  speed: 30
  markets: { SOL-PERP: { startPrice: "150", volatilityBps: 80, driftBps: 0 } }
  subAccounts: { "0": { collateral: "100000" }, "1": { collateral: "50000" }, "2": { collateral: "50000" }, "3": { collateral: "25000" } }
  fees: { makerBps: "-0.25", takerBps: "3.5" }
  auctionDurationSlots: 10
  competition: { rivals: [] } # no rival makers: every leg ends at the backstop, as the loss is sized
apps: { risk-manager: { kind: risk, params: { pollIntervalMs: 500 } } }
risk:
  maxPositionBase: { SOL-PERP: "500" }
  maxGrossNotional: "400000"
  maxLeverage: "5"
  dailyLossLimit: "${LIMIT}"
`;

let sim: SimServer | undefined;
let risk: AppProcess | undefined;
afterEach(async () => {
  risk?.dispose();
  await sim?.close();
});

async function rpc<T>(request: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${sim?.httpUrl}/rpc`, {
    method: 'POST',
    body: JSON.stringify({ id: 1, ...request }),
  });
  const reply = (await res.json()) as { ok: boolean; result?: T; error?: unknown };
  if (!reply.ok) throw new Error(`sim ${request.type}: ${JSON.stringify(reply.error)}`);
  return reply.result as T;
}

/** The fleet's equity as the venue states it (every sub-account), quote precision. */
async function fleetEquity(): Promise<bigint> {
  const subs = await rpc<number[]>({ type: 'subAccounts' });
  const accounts = await Promise.all(
    subs.map((subAccount) => rpc<{ equity: string }>({ type: 'account', subAccount })),
  );
  return accounts.reduce((sum, a) => sum + BigInt(a.equity), 0n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a trading loss on sub-account 0, seen by the risk-manager process over the sim server', () => {
  it('halts the fleet on the daily loss once the venue shows it beyond the limit, not before', async () => {
    const statePath = tempStatePath();
    const configPath = path.join(path.dirname(statePath), 'drift-bots.yaml');
    fs.writeFileSync(configPath, fleetYaml(await freePort()));
    const config = loadFleetConfig({ path: configPath, env: {} });
    // as server-main runs it: venue time from now, clock at the config's speed
    sim = await startSimServer({
      port: config.sim.port,
      config: engineConfigFromFleet(config.sim, { startTs: Date.now(), markets: config.markets }),
      speed: config.sim.speed,
    });
    risk = startAppProcess({
      app: 'risk-manager',
      cwd: packageDir,
      env: { DRIFT_BOTS_CONFIG: configPath, RISK_STATE_FILE: statePath },
    });
    await risk.next((m) => m.type === 'ready');
    const start = await fleetEquity();
    await expect.poll(() => loadRiskState(statePath)?.dayStartEquity, { timeout: 5000 }).toBe(String(start));

    const limit = parseQuote(LIMIT);
    const halted = () => risk?.messages.find((m) => m.type === 'risk-state' && m.state === 'halted');
    let beyondAt: number | undefined;
    let trips = 0;
    // Bounded: twice the limit lost without a halt is a failure, not a reason to keep trading.
    while (!halted() && start - (await fleetEquity()) <= 2n * limit) {
      for (const side of ['buy', 'sell']) {
        const order = { market: 'SOL-PERP', side, type: 'market', baseAmount: LEG_BASE };
        const placed = await rpc<{ ok: boolean }>({ type: 'place', subAccount: 0, order });
        expect(placed, JSON.stringify(placed)).toMatchObject({ ok: true });
        await sleep(500); // 15 s of venue time: the 4 s auction has ended at the backstop
      }
      trips++;
      const loss = start - (await fleetEquity());
      if (loss <= limit) expect(halted(), `halted at a loss of ${formatQuote(loss)}`).toBeUndefined();
      else beyondAt ??= Date.now();
    }
    expect(beyondAt, `no halt and no loss beyond ${LIMIT} after ${trips} round trips`).toBeDefined();
    const message = await risk.next((m) => m.type === 'risk-state' && m.state === 'halted', 0);
    // a few polls (500 ms each) after the venue showed the loss beyond the limit
    expect(Date.now() - (beyondAt ?? 0)).toBeLessThan(5000);
    expect(message).toMatchObject({ reason: expect.stringMatching(/^fleet lost [\d.]+ today/) });
    const lost = /lost ([\d.]+)/.exec((message as { reason: string }).reason)?.[1];
    expect(parseQuote(lost ?? '0')).toBeGreaterThan(limit);
    expect(loadRiskState(statePath)).toMatchObject({ state: 'halted', by: 'risk-manager' });
    expect(trips).toBeLessThanOrEqual(12);
  }, 60_000);
});
