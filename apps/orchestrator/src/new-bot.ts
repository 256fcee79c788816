/**
 * `pnpm new:bot <name> [--root DIR]`: creates `apps/<name>`, a bot package the orchestrator can run:
 * critical logging declared in package.json, a params zod schema read with @drift/config's `parseAppParams`,
 * `src/main.ts` on @drift/runtime's lifecycle helper (ready, heartbeats, halt/resume, graceful stop), a passing
 * test, and the same scripts and tsconfig as every app. Then: add it to `drift-bots.yaml` and
 * `pnpm install`; `pnpm start` runs it with the fleet.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findWorkspaceRoot } from '@drift/logging';

const NAME = /^[a-z][a-z0-9-]{1,40}$/;
const RESERVED = new Set(['sim', 'orchestrator', 'domain', 'config', 'runtime', 'logging']);

export class NewBotError extends Error {}

/** Writes the package; returns the files written (absolute). Refuses bad names and existing dirs. */
export function generateBot(name: string, root: string): string[] {
  if (!NAME.test(name))
    throw new NewBotError(
      `bot name ${JSON.stringify(name)} is not lower-case letters, digits and dashes (2-41 chars, letter first)`,
    );
  if (RESERVED.has(name)) throw new NewBotError(`bot name ${JSON.stringify(name)} is reserved`);
  const dir = join(root, 'apps', name);
  if (existsSync(dir)) throw new NewBotError(`${dir} already exists: pick another name`);
  const up = relative(dir, root).split('\\').join('/');
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        type: 'module',
        description: `${name}: a trading bot of the Drift fleet.`,
        drift: { logging: 'critical' },
        exports: {
          '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
        },
        scripts: {
          build: 'tsc -p tsconfig.build.json',
          typecheck: 'tsc -p tsconfig.json',
          test: 'vitest run',
          start: 'node --conditions=source --import tsx src/main.ts',
        },
        dependencies: {
          '@drift/config': 'workspace:*',
          '@drift/logging': 'workspace:*',
          '@drift/runtime': 'workspace:*',
          zod: '4.0.17',
        },
        devDependencies: { tsx: '4.23.15' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `{\n  "extends": "${up}/tsconfig.base.json",\n  "include": ["src", "test", "bench", "vitest.config.mts"]\n}\n`,
    'tsconfig.build.json': `{\n  "extends": "./tsconfig.json",\n  "compilerOptions": { "noEmit": false, "rootDir": "src", "outDir": "dist", "customConditions": [] },\n  "include": ["src"],\n  "exclude": ["src/**/*.test.ts"]\n}\n`,
    'vitest.config.mts': `import shared from '${up}/vitest.shared.mjs';\n\nexport default shared;\n`,
    'src/index.ts': `export { type BotParams, botParamsSchema } from './params.js';\n`,
    'src/params.ts': `/** ${name}'s parameters (\`apps.${name}.params\` in drift-bots.yaml), validated at start-up. */
import { baseField, intField, marketField } from '@drift/config';
import { z } from 'zod';

export const botParamsSchema = z.strictObject({
  /** Markets the bot trades. */
  markets: z.array(marketField()).min(1).default(['SOL-PERP']),
  /** How often the strategy runs. */
  intervalMs: intField(100).default(1_000),
  /** Largest order, per market (BASE_PRECISION bigint from a decimal string). */
  maxOrderBase: z.record(z.string(), baseField()).default({}),
});
/** What the orchestrator validates before any process starts. */
export const paramsSchema = botParamsSchema;

export type BotParams = z.output<typeof botParamsSchema>;
`,
    'src/params.test.ts': `import { parseAppParams, parseFleetConfig } from '@drift/config';
import { describe, expect, it } from 'vitest';
import { botParamsSchema } from './params.js';

const config = (params: unknown) =>
  parseFleetConfig({
    mode: 'paper',
    markets: ['SOL-PERP'],
    sim: { markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts: { '9': { collateral: '1000' } } },
    risk: { maxPositionBase: { 'SOL-PERP': '10' }, maxGrossNotional: '1000', maxLeverage: '5', dailyLossLimit: '100' },
    apps: { '${name}': { kind: 'bot', subAccount: 9, params } },
  });

describe('${name} params', () => {
  it('reads decimal sizes exactly and fills defaults', () => {
    const params = parseAppParams(config({ maxOrderBase: { 'SOL-PERP': '1.5' } }), '${name}', botParamsSchema);
    expect(params).toEqual({ markets: ['SOL-PERP'], intervalMs: 1000, maxOrderBase: { 'SOL-PERP': 1_500_000_000n } });
  });

  it('names the field and the value of a bad parameter', () => {
    expect(() => parseAppParams(config({ intervalMs: 5 }), '${name}', botParamsSchema)).toThrow(
      /apps\\.${name.replace(/-/g, '\\\\-')}\\.params\\.intervalMs: 5 /,
    );
  });
});
`,
    'src/main.ts': `/**
 * ${name}: started by the orchestrator (or alone with \`pnpm --filter ${name} start\`). Reports ready,
 * heartbeats, obeys halt/resume and stops gracefully through @drift/runtime's lifecycle helper.
 */
import { loadFleetConfig, parseAppParams } from '@drift/config';
import { setupCriticalLogging } from '@drift/logging';
import { startApp } from '@drift/runtime';
import { botParamsSchema } from './params.js';

const APP = '${name}';
const logger = setupCriticalLogging(APP);
const lifecycle = startApp({ appName: APP, logger });
const config = loadFleetConfig();
const params = parseAppParams(config, APP, botParamsSchema);
const subAccount = config.apps[APP]?.subAccount;

let ticks = 0;
function tick(): void {
  if (lifecycle.stopping || lifecycle.tradingState === 'halted') return;
  ticks += 1;
  // The strategy goes here: read the venue, decide, place orders (only reducing ones when 'reducing').
  lifecycle.setStatus({ counters: { ticks } });
}

const timer = setInterval(tick, params.intervalMs);
lifecycle.onShutdown('stop the strategy loop', () => clearInterval(timer));
lifecycle.onTradingState((state, reason) => logger.warn({ bot: APP, state, reason }, 'trading state'));
lifecycle.ready({ markets: params.markets, subAccount });
`,
    'README.md': `# ${name}

A bot of the Drift fleet, generated by \`pnpm new:bot ${name}\`.

- Parameters: \`apps.${name}.params\` in \`drift-bots.yaml\`, schema in \`src/params.ts\`.
- Run alone: \`pnpm --filter ${name} start\`; with the fleet: add it to \`drift-bots.yaml\`:

  \`\`\`yaml
  apps:
    ${name}: { kind: bot, subAccount: <free sub-account>, params: { markets: [SOL-PERP] } }
  \`\`\`

  (paper mode also needs \`sim.subAccounts.<n>\`), then \`pnpm install && pnpm start\`.
- Tests: \`pnpm --filter ${name} test\`.
`,
  };
  const written: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
    written.push(file);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root =
    rootAt >= 0
      ? resolve(args[rootAt + 1] ?? '')
      : (findWorkspaceRoot(process.env.INIT_CWD ?? process.cwd()) ?? process.cwd());
  const name = args.filter((_, i) => i !== rootAt && i !== rootAt + 1)[0];
  try {
    if (!name) throw new NewBotError('usage: pnpm new:bot <name> [--root DIR]');
    const files = generateBot(name, root);
    process.stdout.write(
      `created apps/${name} (${files.length} files)\nnext: add "${name}: { kind: bot, subAccount: N }" under apps in drift-bots.yaml, then pnpm install && pnpm start\n`,
    );
  } catch (err) {
    if (!(err instanceof NewBotError)) throw err;
    process.stderr.write(`new:bot: ${err.message}\n`);
    process.exit(2);
  }
}
