import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parseFleetConfig } from '@drift/config';
import { checkCliArgs } from '@drift/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChildSpecs } from '../src/child-spec.js';
import { Fleet } from '../src/fleet.js';
import { generateBot, NewBotError, parseNewBotArgs } from '../src/new-bot.js';
import { FIXTURE_DIR, ROOT, removeDir, tempDir } from './fleet-fixture.js';
import { freePort } from './paper-fleet.js';
import { quietLogger } from './quiet-logger.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PKG = resolve(import.meta.dirname, '..');
// Inside this package, so the generated app resolves bot-runtime, @drift/*, zod, tsx and vitest
// through our node_modules exactly as it will through its own after `pnpm install`.
const genRoot = mkdtempSync(join(PKG, '.tmp-gen-'));
const botDir = join(genRoot, 'apps/grid-bot');
const logDir = tempDir();
let fleet: Fleet | undefined;

afterAll(async () => {
  await fleet?.stop();
  removeDir(genRoot);
  removeDir(logDir);
});

function run(file: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) =>
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

describe('new:bot arguments', () => {
  const spec = { app: 'new:bot', usage: 'usage: pnpm new:bot <name> [--root DIR]', parse: parseNewBotArgs };

  it('takes the name with or without the `--` pnpm may pass through', () => {
    expect(checkCliArgs(spec, ['grid-bot'])).toEqual({ kind: 'args', args: { name: 'grid-bot' } });
    expect(checkCliArgs(spec, ['--', 'grid-bot', '--root', '/x'])).toEqual({
      kind: 'args',
      args: { name: 'grid-bot', root: '/x' },
    });
  });

  it('refuses no name, two names and an unknown option, naming what is wrong', () => {
    expect(checkCliArgs(spec, [])).toMatchObject({ kind: 'error', text: /no bot name given/ });
    expect(checkCliArgs(spec, ['a-b', 'c-d'])).toMatchObject({ kind: 'error', text: /also given: c-d/ });
    expect(checkCliArgs(spec, ['a-b', '--bogus'])).toMatchObject({ kind: 'error', text: /--bogus/ });
  });
});

describe('new:bot generator', () => {
  it('`pnpm new:bot grid-bot` creates a bot package that typechecks, trades in paper mode and keeps the bot contract', async () => {
    copyFileSync(join(ROOT, 'tsconfig.base.json'), join(genRoot, 'tsconfig.base.json'));
    copyFileSync(join(ROOT, 'vitest.shared.mts'), join(genRoot, 'vitest.shared.mts'));
    const created = await run('pnpm', ['--silent', 'new:bot', 'grid-bot', '--root', genRoot], ROOT);
    expect(created).toMatchObject({
      code: 0,
      out: expect.stringContaining('created apps/grid-bot (11 files)'),
    });
    expect(() => generateBot('grid-bot', genRoot)).toThrow(/already exists/);
    expect(() => generateBot('Grid Bot', genRoot)).toThrow(NewBotError);
    const pkg = JSON.parse(readFileSync(join(botDir, 'package.json'), 'utf8'));
    expect(pkg.drift).toEqual({ logging: 'critical' });
    expect(pkg.dependencies).toHaveProperty('bot-runtime');
    expect(readFileSync(join(botDir, 'src/main.ts'), 'utf8')).toMatch(/await runBot\(/);

    const tsc = await run(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', botDir],
      PKG,
    );
    expect.soft(tsc).toEqual({ code: 0, out: '' });

    // Its own tests: params, the grid trading on an embedded simulator, the fleet's bot contract.
    const tests = await run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run'], botDir);
    // 3 params, 1 trading, the 4 of the bot contract: every one ran and passed.
    expect.soft(stripVTControlCharacters(tests.out)).toMatch(/Tests\s+8 passed \(8\)/);
    expect(tests.code, tests.out.slice(-3000)).toBe(0);
  }, 150_000);

  it('is run by the orchestrator once in the config, and trades on the fleet simulator', async () => {
    if (!existsSync(botDir)) generateBot('grid-bot', genRoot); // this test run alone
    const configFile = join(logDir, 'drift-bots.yaml');
    const config = {
      mode: 'paper',
      markets: ['SOL-PERP'],
      sim: {
        port: await freePort(),
        markets: { 'SOL-PERP': { startPrice: '150' } },
        subAccounts: { '4': { collateral: '10000' } },
      },
      apps: {
        // The fleet's risk manager: the fixture one, speaking like the real one.
        'risk-manager': { kind: 'risk', dir: FIXTURE_DIR, env: { FIXTURE: 'words' } },
        'grid-bot': { kind: 'bot', subAccount: 4, dir: relative(ROOT, botDir), params: { intervalMs: 200 } },
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
    for (const spec of specs)
      Object.assign(spec.env, { LOG_DIR: logDir, DRIFT_DATA_DIR: join(logDir, 'data') });
    fleet = new Fleet(specs, {
      timings: parsed.orchestrator,
      logger: quietLogger(),
      stdio: 'ignore',
      failClosed: parsed.failClosed, // relays the risk manager's words: the bot trades only with them
    });
    await fleet.start();
    expect(fleet.app('grid-bot').snapshot()).toMatchObject({
      state: 'running',
      info: { mode: 'paper', markets: ['SOL-PERP'], subAccount: 4 },
    });
    const resting = () => fleet?.app('grid-bot').snapshot().status?.openOrders ?? 0;
    for (let waited = 0; waited < 15_000 && resting() < 2; waited += 200) await sleep(200);
    const log = () => readFileSync(join(logDir, 'grid-bot.log'), 'utf8').slice(-3000);
    expect(resting(), log()).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
