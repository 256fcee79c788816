import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseFleetConfig } from '@drift/config';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChildSpecs } from '../src/child-spec.js';
import { Fleet } from '../src/fleet.js';
import { generateBot, NewBotError } from '../src/new-bot.js';
import { FIXTURE_DIR, ROOT, removeDir, tempDir } from './fleet-fixture.js';
import { quietLogger } from './quiet-logger.js';

const PKG = resolve(import.meta.dirname, '..');
// Inside this package, so the generated app resolves @drift/*, zod and tsx through our node_modules
// exactly as it will through its own after `pnpm install`.
const genRoot = mkdtempSync(join(PKG, '.tmp-gen-'));
const logDir = tempDir();
let fleet: Fleet | undefined;

afterAll(async () => {
  await fleet?.stop();
  removeDir(genRoot);
  removeDir(logDir);
});

describe('new:bot generator', () => {
  it('creates a critical bot package that typechecks and is run by the orchestrator once in the config', async () => {
    copyFileSync(join(ROOT, 'tsconfig.base.json'), join(genRoot, 'tsconfig.base.json'));
    copyFileSync(join(ROOT, 'vitest.shared.mts'), join(genRoot, 'vitest.shared.mts'));
    const files = generateBot('grid-bot', genRoot).map((f) => relative(join(genRoot, 'apps/grid-bot'), f));
    expect(files.sort()).toEqual(
      [
        'README.md',
        'package.json',
        'src/index.ts',
        'src/main.ts',
        'src/params.test.ts',
        'src/params.ts',
        'tsconfig.build.json',
        'tsconfig.json',
        'vitest.config.mts',
      ].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(genRoot, 'apps/grid-bot/package.json'), 'utf8'));
    expect(pkg.drift).toEqual({ logging: 'critical' });
    expect(pkg.scripts.start).toBe('node --conditions=source --import tsx src/main.ts');
    expect(() => generateBot('grid-bot', genRoot)).toThrow(/already exists/);
    expect(() => generateBot('Grid Bot', genRoot)).toThrow(NewBotError);

    const tsc = await new Promise<{ code: number; out: string }>((done) =>
      execFile(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(genRoot, 'apps/grid-bot/tsconfig.json')],
        { cwd: PKG },
        (err, stdout, stderr) => done({ code: err ? 1 : 0, out: stdout + stderr }),
      ),
    );
    expect.soft(tsc).toEqual({ code: 0, out: '' });

    const configFile = join(logDir, 'drift-bots.yaml');
    const config = {
      mode: 'live',
      markets: ['SOL-PERP'],
      wallet: { keypairPath: join(logDir, 'unused.json') },
      rpc: { endpoints: [{ url: 'http://127.0.0.1:1' }] },
      apps: {
        // A live fleet needs its risk manager: the fixture one, speaking like the real one.
        'risk-manager': { kind: 'risk', dir: FIXTURE_DIR, env: { FIXTURE: 'words' } },
        'grid-bot': {
          kind: 'bot',
          subAccount: 4,
          dir: relative(ROOT, join(genRoot, 'apps/grid-bot')),
          params: { intervalMs: 200 },
        },
      },
      risk: {
        maxPositionBase: { 'SOL-PERP': '10' },
        maxGrossNotional: '1000',
        maxLeverage: '5',
        dailyLossLimit: '100',
      },
    };
    writeFileSync(configFile, JSON.stringify(config));
    const parsed = parseFleetConfig(config, configFile);
    const specs = buildChildSpecs(parsed, { root: ROOT, configPath: configFile });
    for (const spec of specs) spec.env.LOG_DIR = logDir;
    fleet = new Fleet(specs, {
      timings: parsed.orchestrator,
      logger: quietLogger(),
      stdio: 'ignore',
    });
    await fleet.start();
    expect(fleet.app('grid-bot').snapshot()).toMatchObject({
      state: 'running',
      info: { markets: ['SOL-PERP'], subAccount: 4 },
    });
  }, 120_000); // tsc on a whole package: tens of seconds on a loaded machine
});
