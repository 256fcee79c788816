import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, copyFixture, REPO_ROOT, removeTemps, snapshot, tempDir } from './helpers.js';

afterEach(removeTemps);

function git(dir: string, ...args: string[]): void {
  const res = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
}

function gitRepo(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '.');
  git(dir, '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'before');
}

/** Typechecks the migrated workspace with the repo's tsc, @drift/logging resolved to its source. */
function typecheck(ws: string): { status: number | null; output: string } {
  fs.writeFileSync(
    path.join(ws, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
        customConditions: ['source'],
        paths: { '@drift/logging': [path.join(REPO_ROOT, 'packages/logging/src/index.ts')] },
      },
      include: ['apps/*/src/**/*.ts'],
    }),
  );
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(ws, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: res.status, output: res.stdout + res.stderr };
}

describe('drift-logs migrate --dry-run', () => {
  it('prints a unified diff of every change and writes nothing', async () => {
    const ws = copyFixture();
    const before = snapshot(ws);
    const { code, stdout } = await cli('migrate', '--root', ws, '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain('--- a/apps/jit-mm-swift/src/main.ts\n+++ b/apps/jit-mm-swift/src/main.ts\n@@ ');
    expect(stdout).toContain(
      "-    console.error('failed to start quoting', err);\n+    logger.error({ err }, 'failed to start quoting');",
    );
    expect(stdout).toContain("+  logger.info({ market, spreadBps }, 'quoting with spread bps');");
    expect(stdout).toContain(
      "+  logger.warn({ orderId: order.id }, 'order rejected: post-only would cross');",
    );
    expect(stdout).toContain("-  log.info('hedging delta', { market, deltaBase });\n");
    expect(stdout).toContain("+  log.info({ market, deltaBase }, 'hedging delta');\n");
    expect(stdout).toContain("+    logger.error({ err: e }, 'evaluation failed');");
    expect(stdout).toContain('--- /dev/null\n+++ b/apps/jit-mm-swift/src/logger.ts');
    expect(stdout).toContain("+export const logger = setupCriticalLogging('jit-mm-swift');");
    expect(stdout).toContain('+    "@drift/logging": "workspace:*"');
    expect(stdout).toContain('-    "winston": "3.17.0"');
    expect(stdout).toContain('Dry run: nothing was written.');
    expect(snapshot(ws)).toEqual(before);
  });
});

describe('drift-logs migrate', () => {
  it('takes the fixture from 5 critical issues to 0, and the result typechecks', async () => {
    const ws = copyFixture();
    expect((await cli('audit', '--root', ws)).stdout).toContain('Critical issues: 5 ');
    const { code, stdout } = await cli('migrate', '--root', ws, '--force');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Backups of the originals: backups\/logging_migration\/\d{8}T\d{9}Z\//);
    const audit = await cli('audit', '--root', ws);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('Critical issues: 5 -> 0');
    const tsc = typecheck(ws);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('backs every touched file up with its path kept, and lists created files', async () => {
    const ws = copyFixture();
    const original = snapshot(ws);
    await cli('migrate', '--root', ws, '--force');
    const [stamp] = fs.readdirSync(path.join(ws, 'backups/logging_migration'));
    const backup = path.join(ws, 'backups/logging_migration', stamp!);
    for (const rel of [
      'apps/hedge-bot/src/log.ts',
      'apps/hedge-bot/package.json',
      'apps/risk-manager/src/main.ts',
    ]) {
      expect(fs.readFileSync(path.join(backup, rel), 'utf8')).toBe(original.get(rel));
      expect(fs.readFileSync(path.join(ws, rel), 'utf8')).not.toBe(original.get(rel));
    }
    expect(fs.existsSync(path.join(backup, 'apps/risk-manager/src/limits.ts'))).toBe(false); // untouched
    expect(JSON.parse(fs.readFileSync(path.join(backup, 'manifest.json'), 'utf8'))).toEqual({
      created: ['apps/jit-mm-swift/src/logger.ts'],
    });
  });

  it('is idempotent: a second run changes nothing', async () => {
    const ws = copyFixture();
    await cli('migrate', '--root', ws, '--force');
    const after = snapshot(ws);
    const dry = await cli('migrate', '--root', ws, '--dry-run');
    expect(dry.stdout).not.toContain('+++');
    expect(dry.stdout).toContain('Nothing to migrate');
    const again = await cli('migrate', '--root', ws, '--force');
    expect(again.code).toBe(0);
    expect(snapshot(ws)).toEqual(after);
  });

  it('refuses files with uncommitted changes unless --force', async () => {
    const ws = copyFixture();
    gitRepo(ws);
    const main = path.join(ws, 'apps/hedge-bot/src/main.ts');
    fs.appendFileSync(main, "log.info('local edit');\n");
    const before = snapshot(ws);
    const refused = await cli('migrate', '--root', ws);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'refusing to migrate files with uncommitted changes: apps/hedge-bot/src/main.ts',
    );
    expect(snapshot(ws)).toEqual(before);
    expect(fs.existsSync(path.join(ws, 'backups'))).toBe(false);

    const forced = await cli('migrate', '--root', ws, '--force');
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(main, 'utf8')).toContain("log.info('local edit');");
    expect(fs.readFileSync(main, 'utf8')).toContain("log.error({ err }, 'rebalance failed');");
  });

  it('migrates a clean committed tree without --force', async () => {
    const ws = copyFixture();
    gitRepo(ws);
    expect((await cli('migrate', '--root', ws)).code).toBe(0);
  });

  it('lists what it cannot rewrite safely instead of guessing, and exits 1', async () => {
    const ws = tempDir('unsafe');
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    fs.mkdirSync(path.join(ws, 'apps/swift-client/src'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'apps/swift-client/package.json'),
      JSON.stringify({ name: 'swift-client', drift: { logging: 'critical' } }),
    );
    const source = [
      "import createDebug from 'debug';",
      "const debug = createDebug('swift:ws');",
      "debug('connected');",
      'console.table([{ a: 1 }]);',
      "console.log('price', Math.max(1, 2));",
      "console.log('ok', 1 + 1 === 2 ? 'yes' : 'no');",
      "console.info('connected');",
    ].join('\n');
    fs.writeFileSync(path.join(ws, 'apps/swift-client/src/main.ts'), source);
    const { code, stdout } = await cli('migrate', '--root', ws, '--force');
    expect(code).toBe(1);
    expect(stdout).toContain('Left for a human (not rewritten):');
    expect(stdout).toContain('apps/swift-client/src/main.ts:1: the debug library');
    expect(stdout).toContain('apps/swift-client/src/main.ts:4: console.table has no log level');
    expect(stdout).toContain(
      'apps/swift-client/src/main.ts:5: cannot name the value "Math.max(1, 2)" as a field',
    );
    const after = fs.readFileSync(path.join(ws, 'apps/swift-client/src/main.ts'), 'utf8');
    expect(after).toContain("logger.info('connected');");
    expect(after).toContain("console.log('price', Math.max(1, 2));");
  });

  it('names an unknown app', async () => {
    const { code, stderr } = await cli('migrate', '--root', copyFixture(), '--app', 'moon-bot', '--dry-run');
    expect(code).toBe(3);
    expect(stderr).toContain('unknown app "moon-bot"');
  });
});
