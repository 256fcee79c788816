/**
 * The files of a bot package made by `pnpm new:bot <name>`: a grid strategy stub on bot-runtime's
 * `Bot` contract (it really trades: post-only limit orders around the oracle through the order
 * flow), its params schema, `main.ts` = `runBot`, and tests that prove it trades in paper mode and
 * keeps the fleet's bot contract. `up` is the relative path from the package to the workspace root.
 */

/** `grid-bot` -> `GridBot`. */
export function className(name: string): string {
  return name
    .split('-')
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function botFiles(name: string, up: string): Record<string, string> {
  const cls = className(name);
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        type: 'module',
        engines: { node: '>=24.11.0 <25' },
        description: `${name}: a trading bot of the Drift fleet.`,
        drift: { logging: 'critical' },
        exports: {
          '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
        },
        scripts: {
          build: 'tsc -p tsconfig.build.json',
          typecheck: 'tsc -p tsconfig.json',
          lint: 'biome check .',
          test: 'vitest run',
          start: 'node --conditions=source --import tsx src/main.ts',
        },
        dependencies: {
          '@drift/config': 'workspace:*',
          '@drift/domain': 'workspace:*',
          '@drift/logging': 'workspace:*',
          'bot-runtime': 'workspace:*',
          zod: '4.0.17',
        },
        devDependencies: { '@drift/test-support': 'workspace:*', tsx: '4.23.15' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `{\n  "extends": "${up}/tsconfig.base.json",\n  "include": ["src", "test", "bench", "vitest.config.mts"]\n}\n`,
    'tsconfig.build.json': `{\n  "extends": "./tsconfig.json",\n  "compilerOptions": { "noEmit": false, "rootDir": "src", "outDir": "dist", "customConditions": [] },\n  "include": ["src"],\n  "exclude": ["src/**/*.test.ts"]\n}\n`,
    'vitest.config.mts': `import shared from '${up}/vitest.shared.mjs';\n\nexport default shared;\n`,
    'src/index.ts': `/** ${name}'s public API: the strategy and its params. */
export { ${cls} } from './bot.js';
export { type BotParams, botParamsSchema, loadBotParams } from './params.js';
`,
    'src/params.ts': `/** ${name}'s parameters (\`apps.${name}.params\` in drift-bots.yaml), validated at start-up. */
import { baseField, type FleetConfig, intField, marketField, parseAppParams, perMarket } from '@drift/config';
import { z } from 'zod';

export const botParamsSchema = z
  .strictObject({
    /** Markets the bot trades. */
    markets: z.array(marketField()).min(1, { error: 'lists no market' }).default(['SOL-PERP']),
    /** How often the strategy runs, ms. */
    intervalMs: intField(100).default(1_000),
    /** Grid orders on each side of the oracle. */
    levels: intField(1).max(10, { error: 'is more than 10 levels' }).default(2),
    /** Distance between two grid levels (and from the oracle to the first), whole basis points. */
    spacingBps: intField(1).default(20),
    /** Per market: the size of each grid order (decimal base); checked against the fleet's position limit. */
    maxOrderBase: perMarket(baseField()).default({ 'SOL-PERP': 100_000_000n }),
  })
  .superRefine((p, ctx) => {
    for (const market of p.markets)
      if (p.maxOrderBase[market] === undefined)
        ctx.addIssue({ code: 'custom', path: ['maxOrderBase'], message: \`has no entry for \${market}\` });
  });
/** What the orchestrator validates before any process starts. */
export const paramsSchema = botParamsSchema;

export type BotParams = z.output<typeof botParamsSchema>;

export function loadBotParams(config: FleetConfig): BotParams {
  return parseAppParams(config, '${name}', botParamsSchema);
}
`,
    'src/params.test.ts': `import { parseAppParams, parseFleetConfig } from '@drift/config';
import { describe, expect, it } from 'vitest';
import { botParamsSchema } from './params.js';

const config = (params: unknown) =>
  parseFleetConfig({
    mode: 'paper',
    markets: ['SOL-PERP', 'BTC-PERP'],
    sim: {
      markets: { 'SOL-PERP': { startPrice: '150' }, 'BTC-PERP': { startPrice: '65000' } },
      subAccounts: { '9': { collateral: '1000' } },
    },
    risk: {
      maxPositionBase: { 'SOL-PERP': '10', 'BTC-PERP': '1' },
      maxGrossNotional: '1000',
      maxLeverage: '5',
      dailyLossLimit: '100',
    },
    apps: { '${name}': { kind: 'bot', subAccount: 9, params } },
  });

describe('${name} params', () => {
  it('reads decimal sizes exactly and fills defaults', () => {
    const params = parseAppParams(
      config({ maxOrderBase: { 'SOL-PERP': '1.5' } }),
      '${name}',
      botParamsSchema,
    );
    expect(params).toEqual({
      markets: ['SOL-PERP'],
      intervalMs: 1000,
      levels: 2,
      spacingBps: 20,
      maxOrderBase: { 'SOL-PERP': 1_500_000_000n },
    });
  });

  it('names the field and the value of a bad parameter', () => {
    expect(() => parseAppParams(config({ intervalMs: 5 }), '${name}', botParamsSchema)).toThrow(
      /apps\\.${name}\\.params\\.intervalMs: 5 /,
    );
  });

  it('refuses a market without an order size', () => {
    expect(() =>
      parseAppParams(
        config({ markets: ['BTC-PERP'], maxOrderBase: { 'SOL-PERP': '1' } }),
        '${name}',
        botParamsSchema,
      ),
    ).toThrow(/apps\\.${name}\\.params\\.maxOrderBase: .* has no entry for BTC-PERP/);
  });
});
`,
    'src/bot.ts': `/**
 * ${name}'s strategy, a stub to replace: a grid of post-only limit orders around each market's
 * oracle, \`levels\` a side, \`spacingBps\` apart, each \`maxOrderBase\` of its market; laid again
 * around the oracle once it has moved one spacing from the grid's centre. Everything else is
 * bot-runtime's: the venue, the order flow (journal, risk check, trading state, expiry, cancel-all
 * at shutdown), the data-freshness guard, the heartbeats.
 */
import { absBig, applyBps, formatPrice, formatQuote, type MarketSpec, roundToStep } from '@drift/domain';
import type { LoggerLike } from '@drift/logging';
import type { Bot, BotDeps, BotStatus } from 'bot-runtime';
import type { BotParams } from './params.js';

export class ${cls} implements Bot {
  readonly name: string;
  readonly tickMs: number;
  private readonly log: LoggerLike;
  private readonly markets = new Map<string, MarketSpec>();
  /** The oracle price each market's grid was laid around. */
  private readonly centres = new Map<string, bigint>();
  private readonly counts = { ticks: 0, grids: 0, accepted: 0, refused: 0, paused: 0 };
  private startEquity = 0n;
  private equity = 0n;
  private stopped = false;

  constructor(private readonly deps: BotDeps<BotParams>) {
    this.name = deps.bot;
    this.tickMs = deps.params.intervalMs;
    this.log = deps.logger.child({ component: 'strategy', bot: deps.bot });
  }

  /** Checks the markets, then lays the first grid: ready means quoting. */
  async start(): Promise<void> {
    const { venue, params } = this.deps;
    for (const market of params.markets) {
      const spec = venue.markets().find((s) => s.symbol === market);
      if (!spec) throw new Error(\`\${this.name}: market \${market} is not on the venue\`);
      this.markets.set(market, spec);
    }
    this.startEquity = (await venue.getAccount()).equity;
    this.equity = this.startEquity;
    await this.tick();
  }

  /** Nothing new goes out from here on; the runtime then cancels what rests. */
  async stop(): Promise<void> {
    this.stopped = true;
  }

  status(): BotStatus {
    return {
      pnlQuote: formatQuote(this.equity - this.startEquity),
      counters: Object.fromEntries(Object.entries(this.counts).map(([k, v]) => [\`grid.\${k}\`, v])),
    };
  }

  async tick(): Promise<void> {
    this.counts.ticks++;
    this.equity = (await this.deps.venue.getAccount()).equity;
    // A grid adds risk: only while active and on fresh data (order-management refuses it otherwise too).
    if (this.deps.orders.tradingState !== 'active' || this.deps.freshness.stale) {
      this.counts.paused++;
      return;
    }
    for (const [market, spec] of this.markets) await this.layGrid(market, spec);
  }

  private async layGrid(market: string, spec: MarketSpec): Promise<void> {
    const { venue, orders, params } = this.deps;
    const oracle = (await venue.getOraclePrice(market)).price;
    const spacing = applyBps(oracle, params.spacingBps, 'ceil');
    const resting = orders.liveOrders().filter((o) => o.market === market);
    const centre = this.centres.get(market);
    if (centre !== undefined && resting.length > 0 && absBig(oracle - centre) < spacing) return;

    for (const order of resting) await orders.cancel(order.clientOrderId);
    this.centres.set(market, oracle);
    this.counts.grids++;
    const size = roundToStep(params.maxOrderBase[market] ?? spec.minOrderSize, spec.stepSize, 'floor');
    for (let level = 1n; level <= BigInt(params.levels); level++) {
      for (const side of ['buy', 'sell'] as const) {
        if (this.stopped) return;
        const price =
          side === 'buy'
            ? roundToStep(oracle - spacing * level, spec.tickSize, 'floor')
            : roundToStep(oracle + spacing * level, spec.tickSize, 'ceil');
        const result = await orders.place({
          market,
          side,
          type: 'limit',
          price,
          baseAmount: size,
          postOnly: true,
        });
        // order-management logs a refusal and counts it by reason (\`rejected.<reason>\`).
        if (result.ok) this.counts.accepted++;
        else this.counts.refused++;
      }
    }
    this.log.info(
      { market, oracle: formatPrice(oracle), levels: params.levels, spacingBps: params.spacingBps },
      'grid laid',
    );
  }
}
`,
    'src/main.ts': `/**
 * \`pnpm --filter ${name} start\` (or the orchestrator, once in drift-bots.yaml): the strategy on
 * bot-runtime. Paper mode (default) trades the fleet's sim server, else an embedded simulator.
 */
import { setupCriticalLogging } from '@drift/logging';
import { runBot } from 'bot-runtime';
import { ${cls} } from './bot.js';
import { loadBotParams } from './params.js';

await runBot({
  app: '${name}',
  setupLogging: setupCriticalLogging,
  loadParams: loadBotParams,
  markets: (params) => params.markets,
  create: (deps) => new ${cls}(deps),
});
`,
    'test/process.test.ts': `/**
 * ${name} as the orchestrator runs it (a child process with an IPC channel, paper mode on an
 * embedded simulator): the fleet's bot contract, and the grid really trading.
 */
import { join } from 'node:path';
import {
  type AppProcess,
  describeBotUnderOrchestrator,
  freePort,
  type Heartbeat,
  isHeartbeat,
  isReady,
  startAppProcess,
} from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..');

describeBotUnderOrchestrator('${name}', DIR);

let bot: AppProcess | undefined;
afterEach(() => bot?.dispose());

describe('${name} trading', () => {
  it('lays its grid on the simulator: orders accepted and resting, cancelled at shutdown', async () => {
    bot = startAppProcess({
      app: '${name}',
      cwd: DIR,
      env: { SIM_PORT: String(await freePort()), DRIFT_HEARTBEAT_MS: '200' },
    });
    await bot.next(isReady, 0);
    const beat = await bot.next((m): m is Heartbeat => isHeartbeat(m) && m.status.openOrders >= 2);
    expect(beat.status.tradingState).toBe('active');
    expect(beat.status.counters['grid.accepted']).toBeGreaterThanOrEqual(2);
    expect(beat.status.ordersPlaced).toBeGreaterThanOrEqual(beat.status.openOrders);

    expect(await bot.stop()).toBe(0);
    const log = bot.log();
    expect(log).toMatch(/grid laid/);
    expect(log).toMatch(/cancel-all done/);
  }, 40_000);
});
`,
    'README.md': `# ${name}

A bot of the Drift fleet, generated by \`pnpm new:bot ${name}\`: a strategy on bot-runtime's \`Bot\`
contract. \`src/bot.ts\` is the strategy (a stub that lays a grid of post-only limit orders around
the oracle: replace it); \`src/main.ts\` hands it to \`runBot\`, which runs the venue, the order flow
(journal, risk check, trading state, expiry, cancel-all at shutdown), the data-freshness guard and
the heartbeats.

- Parameters: \`apps.${name}.params\` in \`drift-bots.yaml\`, schema in \`src/params.ts\`
  (\`markets\`, \`intervalMs\`, \`levels\`, \`spacingBps\`, \`maxOrderBase\` per market).
- Run alone: \`pnpm --filter ${name} start\` (paper mode, embedded simulator; without a fleet entry it
  trades sub-account 0). With the fleet: add it to \`drift-bots.yaml\`:

  \`\`\`yaml
  apps:
    ${name}: { kind: bot, subAccount: <free sub-account>, params: { markets: [SOL-PERP] } }
  \`\`\`

  (paper mode also needs \`sim.subAccounts.<n>\`), then \`pnpm install && pnpm start\`.
- Tests: \`pnpm --filter ${name} test\` — the params, the grid trading on the simulator, and the
  fleet's bot contract (\`@drift/test-support\`).
`,
  };
}
