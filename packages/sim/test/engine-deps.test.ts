/**
 * The deterministic engine is the trading domain and nothing else: loading it must not load the
 * fleet config (zod, YAML), the process runtime or logging. A real node process loads the engine
 * and reports every module it resolved.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

/** Every module URL a fresh node resolves while importing `entry` (a path in this package). */
function modulesLoadedBy(entry: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--import',
      join(import.meta.dirname, 'fixtures/record-loads.mjs'),
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(join(packageDir, entry))});`,
    ],
    { cwd: packageDir, encoding: 'utf8' },
  );
  return JSON.parse(out) as string[];
}

const FORBIDDEN = /\/(zod|yaml|pino|@drift\/(config|runtime|logging)|packages\/(config|runtime|logging))\//;

describe('the simulator engine', () => {
  it('loads only @drift/domain and node built-ins, no zod, YAML, runtime or logging', () => {
    const loaded = modulesLoadedBy('src/engine.ts');
    expect(loaded.some((url) => url.includes('/packages/domain/src/'))).toBe(true);
    expect(loaded.filter((url) => FORBIDDEN.test(url))).toEqual([]);
    const outside = loaded.filter(
      (url) => !url.startsWith('node:') && !/\/packages\/(sim|domain)\/src\//.test(url),
    );
    expect(outside).toEqual([]);
  });

  it('the probe sees them when loaded: the package entry loads the runtime (recording.ts)', () => {
    const loaded = modulesLoadedBy('src/index.ts');
    expect(loaded.filter((url) => FORBIDDEN.test(url)).length).toBeGreaterThan(0);
  });
});
