import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditWorkspace } from '../src/audit/audit.js';
import { cli, copyFixture, FIXTURE, removeTemps, tempDir } from './helpers.js';

const FIXTURES = path.dirname(FIXTURE);

afterEach(removeTemps);

describe('drift-logs audit on the "before" fixture', () => {
  it('finds exactly the 5 critical issues: four console-only apps and one with no logging', async () => {
    const ws = copyFixture();
    const result = auditWorkspace(ws);
    const critical = result.apps.flatMap((a) =>
      a.findings
        .filter((f) => f.severity === 'critical')
        .map((f) => ({ app: a.name, code: f.code, message: f.message })),
    );
    expect(critical.map((c) => c.app).sort()).toEqual([
      'hedge-bot',
      'jit-mm-swift',
      'orchestrator',
      'risk-manager',
      'trend-bot',
    ]);
    expect(critical.every((c) => c.code === 'no-file-logging')).toBe(true);
    expect(critical.find((c) => c.app === 'risk-manager')?.message).toContain('no logging at all');
    expect(critical.find((c) => c.app === 'hedge-bot')?.message).toContain('winston');
    expect(critical.find((c) => c.app === 'orchestrator')?.message).toContain('bare pino()');
    expect(result.counts.critical).toBe(5);
  });

  it('prints a per-app report with the summary line and exits 1', async () => {
    const ws = copyFixture();
    const { code, stdout } = await cli('audit', '--root', ws);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^jit-mm-swift \(critical, apps\/jit-mm-swift, entry apps\/jit-mm-swift\/src\/main\.ts\)$/m,
    );
    expect(stdout).toContain('packages/backtest/src/main.ts:2: console.log in utility code');
    expect(stdout).toMatch(/Critical issues: 5 {3}Warnings: \d+/);
    // The second run compares with the first.
    expect((await cli('audit', '--root', ws)).stdout).toContain('Critical issues: 5 -> 5');
    expect(
      JSON.parse(fs.readFileSync(path.join(ws, '.drift-logs/audit-state.json'), 'utf8')).all.critical,
    ).toBe(5);
  });

  it('narrows to one app with --app and gives JSON with --json', async () => {
    const ws = copyFixture();
    const { code, stdout } = await cli('audit', '--root', ws, '--app', 'risk-manager', '--json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.apps.map((a: { name: string }) => a.name)).toEqual(['risk-manager']);
    expect(json.counts.critical).toBe(1);
  });

  it('warns about errors logged as strings, template messages and secret-looking values', () => {
    const result = auditWorkspace(path.join(FIXTURES, 'warnings'), { app: 'hedge-bot' });
    const codes = result.apps[0]!.findings.map((f) => `${f.severity}:${f.code}:${f.line ?? ''}`);
    expect(result.counts.critical).toBe(0);
    expect(codes).toContain('warning:error-as-string:6');
    expect(codes).toContain('warning:template-message:8');
    expect(codes).toContain('warning:secret-value:9');
  });

  it('flags file logging turned off and a console call around the logger', () => {
    const result = auditWorkspace(path.join(FIXTURES, 'warnings'), { app: 'trend-bot' });
    const critical = result.apps[0]!.findings.filter((f) => f.severity === 'critical');
    expect(critical.map((f) => f.code).sort()).toEqual(['bypasses-logger', 'file-logging-off']);
    expect(critical.find((f) => f.code === 'file-logging-off')?.line).toBe(2);
  });
});

describe('drift-logs audit entries', () => {
  it('flags a critical app whose start script runs a missing file, and migrate leaves it to a human', async () => {
    const ws = tempDir('entry');
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    fs.mkdirSync(path.join(ws, 'apps/hedge-bot/src'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'apps/hedge-bot/package.json'),
      JSON.stringify({
        name: 'hedge-bot',
        scripts: { start: 'node --import tsx src/main.ts' },
        drift: { logging: 'critical' },
      }),
    );
    fs.writeFileSync(path.join(ws, 'apps/hedge-bot/src/index.ts'), 'export const band = 5;\n');
    const app = auditWorkspace(ws).apps[0]!;
    expect(app.findings.filter((f) => f.severity === 'critical').map((f) => f.code)).toEqual(['no-entry']);
    const migrate = await cli('migrate', '--root', ws, '--dry-run');
    expect(migrate.code).toBe(1);
    expect(migrate.stdout).toContain(
      'the start script runs src/main.ts, which does not exist; write the entry first',
    );
  });

  it('accepts a setup function taken by reference from the namespace', () => {
    const ws = tempDir('ref');
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    fs.mkdirSync(path.join(ws, 'apps/risk-manager/src'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'apps/risk-manager/package.json'),
      JSON.stringify({
        name: 'risk-manager',
        dependencies: { '@drift/logging': 'workspace:*' },
        drift: { logging: 'critical' },
      }),
    );
    fs.writeFileSync(
      path.join(ws, 'apps/risk-manager/src/main.ts'),
      "import * as logging from '@drift/logging';\nconst setup = (logging as Record<string, unknown>).setupCriticalLogging;\n",
    );
    expect(auditWorkspace(ws).counts.critical).toBe(0);
  });

  it('accepts a setup function handed to the code that calls it, and not one only imported', () => {
    const ws = tempDir('passed');
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    const app = (name: string, main: string) => {
      fs.mkdirSync(path.join(ws, `apps/${name}/src`), { recursive: true });
      fs.writeFileSync(
        path.join(ws, `apps/${name}/package.json`),
        JSON.stringify({
          name,
          dependencies: { '@drift/logging': 'workspace:*', 'bot-runtime': 'workspace:*' },
          drift: { logging: 'critical' },
        }),
      );
      fs.writeFileSync(path.join(ws, `apps/${name}/src/main.ts`), main);
    };
    const imports =
      "import { setupCriticalLogging } from '@drift/logging';\nimport { runBot } from 'bot-runtime';\n";
    app('grid-bot', `${imports}await runBot({ app: 'grid-bot', setupLogging: setupCriticalLogging });\n`);
    app('idle-bot', `${imports}await runBot({ app: 'idle-bot' });\n`);
    const result = auditWorkspace(ws);
    const critical = (name: string) =>
      result.apps.find((a) => a.name === name)?.findings.filter((f) => f.severity === 'critical');
    expect(critical('grid-bot')).toEqual([]);
    expect(critical('idle-bot')?.map((f) => f.code)).toEqual(['no-file-logging']);
  });
});

describe('drift-logs audit bad input', () => {
  it('names the missing workspace file', async () => {
    const dir = tempDir('empty');
    const { code, stderr } = await cli('audit', '--root', dir);
    expect(code).toBe(3);
    expect(stderr).toContain(`cannot read workspace file ${path.join(dir, 'pnpm-workspace.yaml')}: ENOENT`);
  });

  it('names an unknown app and lists the known ones', async () => {
    const { code, stderr } = await cli('audit', '--root', copyFixture(), '--app', 'moon-bot');
    expect(code).toBe(3);
    expect(stderr).toMatch(/unknown app "moon-bot" \(workspace packages: .*hedge-bot/);
  });

  it('names an unknown flag', async () => {
    const { code, stderr } = await cli('audit', '--verbose');
    expect(code).toBe(3);
    expect(stderr).toContain("unknown option '--verbose'");
  });

  it('prints help for every command', async () => {
    for (const command of ['audit', 'migrate', 'monitor', 'tail']) {
      const { code, stdout } = await cli(command, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: drift-logs ${command}`));
      expect(stdout).toContain('Exit codes');
    }
  });

  it('an app that calls setupCriticalLogging without declaring itself critical is told to declare it', () => {
    const ws = tempDir('undeclared');
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    fs.mkdirSync(path.join(ws, 'apps/grid-bot/src'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'apps/grid-bot/package.json'),
      JSON.stringify({ name: 'grid-bot', dependencies: { '@drift/logging': 'workspace:*' } }),
    );
    fs.writeFileSync(
      path.join(ws, 'apps/grid-bot/src/main.ts'),
      "import { setupCriticalLogging } from '@drift/logging';\nconst logger = setupCriticalLogging('grid-bot');\n",
    );
    const app = auditWorkspace(ws).apps[0]!;
    expect(app.kind).toBe('utility');
    expect(app.findings.find((f) => f.code === 'undeclared-critical')).toMatchObject({
      severity: 'warning',
      file: 'apps/grid-bot/src/main.ts',
      line: 2,
    });
  });
});
