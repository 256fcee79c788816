/**
 * The launch command of an app: built JavaScript on plain Node (what `pnpm start` runs), TypeScript
 * under tsx only from source; the V8 flag on both. A fleet whose apps are not built is refused before
 * anything starts, naming each missing file and how to build it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadFleetConfig } from '@drift/config';
import { SHORT_GC_PAUSE_FLAGS } from '@drift/logging';
import { afterAll, describe, expect, it } from 'vitest';
import { appCommand, nodeFlagsFor } from '../src/app-command.js';
import { buildChildSpecs, FleetSpecError } from '../src/child-spec.js';
import { ROOT, removeDir, tempDir } from './fleet-fixture.js';

const config = loadFleetConfig({ path: join(ROOT, 'drift-bots.yaml'), env: {} });
const empty = tempDir('app-command-');
afterAll(() => removeDir(empty));

describe('appCommand', () => {
  it('runs a built entry on this Node with the short-GC-pause flag and no loader', () => {
    expect(nodeFlagsFor('/w/apps/hedge-bot/dist/main.js')).toEqual([...SHORT_GC_PAUSE_FLAGS]);
    expect(appCommand({ entry: '/w/apps/hedge-bot/dist/main.js', cwd: '/w/apps/hedge-bot' })).toEqual({
      node: process.execPath,
      args: [...SHORT_GC_PAUSE_FLAGS, '/w/apps/hedge-bot/dist/main.js'],
      cwd: '/w/apps/hedge-bot',
    });
  });

  it('runs a TypeScript entry under tsx with the source condition; exports run it built', () => {
    expect(nodeFlagsFor('/w/apps/hedge-bot/src/main.ts')).toEqual([
      ...SHORT_GC_PAUSE_FLAGS,
      '--conditions=source',
      '--import',
      'tsx',
    ]);
    expect(
      appCommand({ entry: '/w/apps/hedge-bot/src/main.ts', cwd: '/w/apps/hedge-bot' }, '/opt/node/bin/node'),
    ).toEqual({
      node: '/opt/node/bin/node',
      args: [...SHORT_GC_PAUSE_FLAGS, '/w/apps/hedge-bot/dist/main.js'],
      cwd: '/w/apps/hedge-bot',
    });
  });
});

describe('the fleet of drift-bots.yaml', () => {
  const ENTRIES = [
    'packages/sim/%/server-main',
    'apps/risk-manager/%/main',
    'apps/jit-mm-swift/%/main',
    'apps/hedge-bot/%/main',
    'apps/trend-bot/%/main',
  ];
  const entries = (specs: { entry: string }[], root: string) =>
    specs.map((s) => s.entry.slice(root.length + 1));

  it('built: every process (simulator included) starts from its dist/ JavaScript on plain Node', () => {
    const root = tempDir('app-command-built-');
    for (const e of ENTRIES) {
      const file = join(root, `${e.replace('%', 'dist')}.js`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '');
    }
    const specs = buildChildSpecs(config, { root, launch: 'built' });
    removeDir(root);
    expect(entries(specs, root)).toEqual(ENTRIES.map((e) => `${e.replace('%', 'dist')}.js`));
    expect(specs.map((s) => nodeFlagsFor(s.entry))).toEqual(specs.map(() => [...SHORT_GC_PAUSE_FLAGS]));
  });

  it('built but not built: refused before anything starts, each missing file named with the remedy', () => {
    let caught: unknown;
    try {
      buildChildSpecs(config, { root: empty, launch: 'built' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FleetSpecError);
    const issues = (caught as FleetSpecError).issues;
    expect(issues).toHaveLength(ENTRIES.length);
    expect(issues[0]).toBe(
      `sim: "packages/sim" has no dist/server-main.js (looked for ${join(empty, 'packages/sim/dist/server-main.js')}): build it with \`pnpm build\` (\`pnpm start\` does)`,
    );
    expect(issues).toContain(
      `apps.hedge-bot.dir: "apps/hedge-bot" has no dist/main.js (looked for ${join(empty, 'apps/hedge-bot/dist/main.js')}): build it with \`pnpm build\` (\`pnpm start\` does)`,
    );
  });

  it('from source (how the tests run the orchestrator): src/*.ts entries under tsx', () => {
    const specs = buildChildSpecs(config, { root: ROOT });
    expect(entries(specs, ROOT)).toEqual(ENTRIES.map((e) => `${e.replace('%', 'src')}.ts`));
    expect(specs.every((s) => nodeFlagsFor(s.entry).includes('tsx'))).toBe(true);
  });
});
