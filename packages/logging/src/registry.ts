/**
 * Which apps are critical (file + console) and which are utility code (console only). One source:
 * each app's own package.json, `"drift": { "logging": "critical" }`. A new app joins by declaring
 * it; the list of the fleet's critical apps, the logger's default and `drift-logs audit` and
 * `monitor` are all derived from those declarations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findWorkspaceRoot } from './workspace.js';

interface PackageJson {
  name?: unknown;
  drift?: { logging?: unknown };
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The name an app logs under: its package name without a scope (`@drift/sim` -> `sim`). */
const logName = (name: unknown) => (typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : undefined);

/** True when the package.json at `file` declares its app critical. Missing or unreadable -> false. */
export function declaresCritical(packageJsonFile: string): boolean {
  return readPackageJson(packageJsonFile)?.drift?.logging === 'critical';
}

/** The package directories of a pnpm workspace: its `packages:` globs of the forms `dir/*` and `dir`. */
function workspacePackageDirs(root: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return [];
  }
  const globs: string[] = [];
  let inPackages = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    const item = inPackages ? /^\s+-\s*['"]?([^'"#\s]+)['"]?/.exec(line)?.[1] : undefined;
    if (item && !item.startsWith('!')) globs.push(item);
  }
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [path.join(root, glob)];
    const base = path.join(root, glob.slice(0, -2));
    try {
      return fs
        .readdirSync(base, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(base, e.name));
    } catch {
      return [];
    }
  });
}

/** The critical apps of the workspace at `root` (default: the one around the cwd), by log name, sorted. */
export function criticalApps(root = findWorkspaceRoot()): string[] {
  if (!root) return [];
  const names = workspacePackageDirs(root)
    .map((dir) => readPackageJson(path.join(dir, 'package.json')))
    .filter((pkg) => pkg?.drift?.logging === 'critical')
    .map((pkg) => logName(pkg?.name))
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

/** The package.json of the package a process was started from (nearest to the entry script or cwd). */
function entryPackageJson(): string | undefined {
  const start = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : process.cwd();
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Is `name` a critical app? With `packageJsonFile`: when that package is `name` and declares it.
 * Without: when the running entry's package does, or a package of the workspace named `name` does.
 */
export function isCriticalApp(name: string, packageJsonFile?: string): boolean {
  const declared = (file: string | undefined) => {
    const pkg = file ? readPackageJson(file) : undefined;
    return (pkg?.name === name || logName(pkg?.name) === name) && pkg?.drift?.logging === 'critical';
  };
  if (packageJsonFile !== undefined) return declared(packageJsonFile);
  return declared(entryPackageJson()) || criticalApps().includes(name);
}
