/**
 * Real program: a bot (DriftVenue + order-management + SQLite journal, in its own process) is
 * SIGKILLed while placing orders, started again on the same journal, and re-runs every intent:
 * the chain ends with each client order exactly once and the journal agrees with it. Websocket and
 * polling mode.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from 'order-management';
import { describe, expect, it } from 'vitest';
import { readUser } from './chain-user.js';
import { describeLane, MODES } from './lane.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ORDERS = 8;

function runBot(env: Record<string, string>): {
  child: ChildProcess;
  lines: string[];
  done: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(HERE, 'bot-child.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => lines.push(...String(d).split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`bot child stderr:\n${stderr}\n`);
      resolve(code);
    }),
  );
  return { child, lines, done };
}

describeLane('a bot killed with SIGKILL mid-order', (lane) => {
  describe.each(MODES)('%s', (mode) => {
    it('restarts, reconciles and re-runs its intents: no order twice, journal = chain', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lane-sigkill-'));
      try {
        const user = await lane().exchange.createUser({ usdc: 10_000_000_000n });
        const quote = lane().exchange.spotMarketConfigs()[0];
        const env = {
          LANE_RPC: lane().chain.url,
          LANE_MODE: mode,
          LANE_KEY: JSON.stringify([...user.keypair.secretKey]),
          LANE_ORACLE: lane().exchange.solOracle.publicKey.toBase58(),
          LANE_QUOTE: JSON.stringify(quote, (k, v: unknown) =>
            k === 'precision' || k === 'precisionExp' ? String(v) : v,
          ),
          LANE_JOURNAL: join(dir, 'lane-bot.sqlite'),
          LANE_ORDERS: String(ORDERS),
        };
        const first = runBot(env);
        const end = Date.now() + 60_000;
        while (first.lines.filter((l) => /^\d+ /.test(l)).length < 2) {
          if (Date.now() > end) throw new Error(`the bot did not answer: ${first.lines.join(' | ')}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        first.child.kill('SIGKILL');
        expect(await first.done).toBe(null);
        const second = runBot(env);
        expect(await second.done).toBe(0);
        // Each intent answered once by the second run: open, or refused as already journaled.
        const answers = second.lines.filter((l) => /^\d+ /.test(l));
        expect(answers).toHaveLength(ORDERS);
        for (const line of answers) expect(line).toMatch(/^\d+ (open|duplicate-client-id)$/);
        const open = (await readUser(lane().chain, user.userAccount())).openOrders;
        // Each intent has its own price: a price twice on chain would be an order sent twice.
        const prices = open.map((o) => o.price.toString());
        expect(new Set(prices).size).toBe(prices.length);
        expect(open.length).toBeGreaterThanOrEqual(ORDERS - 3);
        const journal = new Journal(env.LANE_JOURNAL, { readonly: true });
        try {
          const live = journal.liveOrders('lane-bot');
          expect(live.every((o) => o.status === 'open')).toBe(true);
          expect(new Set(live.map((o) => o.orderId))).toEqual(new Set(open.map((o) => String(o.orderId))));
          for (let i = 0; i < ORDERS; i++) expect(journal.get(`lane-bot-${i}`)).toBeDefined();
        } finally {
          journal.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});
