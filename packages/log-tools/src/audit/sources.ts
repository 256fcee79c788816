// Which files of a package are audited, which one is its entry, and what the entry reaches.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspacePackage } from '../workspace.js';

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
// Tests, benchmarks and fixtures are not the app's runtime code and are not audited.
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'coverage',
  'test',
  'tests',
  'bench',
  'fixtures',
  '__tests__',
]);
const SKIPPED_FILE = /\.(test|spec|bench)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$|\.config\.[cm]?[jt]s$/;

/** Runtime source files of a package (absolute paths, sorted). */
export function listSourceFiles(pkg: WorkspacePackage): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(full);
      } else if (SOURCE_EXT.test(e.name) && !SKIPPED_FILE.test(e.name)) out.push(full);
    }
  };
  walk(pkg.dir);
  return out.sort();
}

/** The process entry: src/main.ts by convention, else the `start` script's file, `main`, or src/index.ts. */
export function findEntry(pkg: WorkspacePackage): string | undefined {
  const candidates = ['src/main.ts'];
  const start = pkg.packageJson.scripts?.start;
  const startFile = start?.split(/\s+/).find((token) => SOURCE_EXT.test(token));
  if (startFile) candidates.push(startFile);
  if (pkg.packageJson.main) candidates.push(pkg.packageJson.main);
  candidates.push('src/index.ts');
  return candidates.map((c) => path.join(pkg.dir, c)).find((f) => fs.existsSync(f));
}

/** The file the `start` script runs, when it names one that does not exist (yet). */
export function missingStartFile(pkg: WorkspacePackage): string | undefined {
  const start = pkg.packageJson.scripts?.start;
  const file = start?.split(/\s+/).find((token) => SOURCE_EXT.test(token));
  return file && !fs.existsSync(path.join(pkg.dir, file)) ? file : undefined;
}

/** True when the package is a process (has a main entry), not only a library. */
export function isRunnable(pkg: WorkspacePackage): boolean {
  const start = pkg.packageJson.scripts?.start;
  return (
    fs.existsSync(path.join(pkg.dir, 'src/main.ts')) ||
    start !== undefined ||
    pkg.packageJson.bin !== undefined
  );
}

/** Resolves a relative import specifier (`./x.js`) to a source file that exists. */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const tries = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ];
  return tries.find((f) => SOURCE_EXT.test(f) && fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Files reachable from the entry through static relative imports (the entry included). */
export function reachableFrom(entry: string, importsOf: (file: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      const target = resolveRelative(file, spec);
      if (target && !seen.has(target)) stack.push(target);
    }
  }
  return seen;
}
