// Reads a pnpm workspace: the package globs in pnpm-workspace.yaml and each package's package.json.
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '@drift/logging';
import { parse as parseYaml } from 'yaml';
import { InputError } from './input-error.js';
import { isCriticalPackage } from './registry.js';

export interface PackageJson {
  name?: string;
  main?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  drift?: { logging?: string };
  [key: string]: unknown;
}

export interface WorkspacePackage {
  name: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the workspace root, with forward slashes. */
  relDir: string;
  packageJson: PackageJson;
  /** The name its logger and log file use: the package name without its scope (`@drift/sim` -> `sim`). */
  logName: string;
  /** Critical (file + console) by the @drift/logging registry or the package's own declaration. */
  critical: boolean;
}

export interface Workspace {
  root: string;
  packages: WorkspacePackage[];
}

export const WORKSPACE_FILE = 'pnpm-workspace.yaml';

export function readWorkspace(root: string): Workspace {
  const absRoot = path.resolve(root);
  const file = path.join(absRoot, WORKSPACE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read workspace file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(`${file} is not valid YAML: ${errorMessage(err)}`);
  }
  const globs = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(globs) || !globs.every((g) => typeof g === 'string')) {
    throw new InputError(`${file}: "packages" must be a list of globs, got ${JSON.stringify(globs)}`);
  }
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const dirs = new Set<string>();
  for (const glob of include) for (const dir of expandGlob(absRoot, glob)) dirs.add(dir);
  const packages: WorkspacePackage[] = [];
  for (const dir of [...dirs].sort()) {
    const relDir = path.relative(absRoot, dir).split(path.sep).join('/');
    if (exclude.some((g) => matchesGlob(relDir, g))) continue;
    const pkgFile = path.join(dir, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    let packageJson: PackageJson;
    try {
      packageJson = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as PackageJson;
    } catch (err) {
      throw new InputError(`${pkgFile} is not valid JSON: ${errorMessage(err)}`);
    }
    const name = packageJson.name ?? path.basename(dir);
    packages.push({
      name,
      dir,
      relDir,
      packageJson,
      logName: name.replace(/^@[^/]+\//, ''),
      critical: isCriticalPackage(name, dir),
    });
  }
  return { root: absRoot, packages };
}

/** Finds a package by its name or its directory's base name (`--app hedge-bot`). */
export function findPackage(ws: Workspace, app: string): WorkspacePackage {
  const found = ws.packages.find((p) => p.name === app || path.basename(p.dir) === app);
  if (!found) {
    const known = ws.packages.map((p) => p.name).join(', ');
    throw new InputError(`unknown app "${app}" (workspace packages: ${known || 'none'})`);
  }
  return found;
}

// pnpm globs in practice are `dir/*`, `dir/**` or a literal path; those are the forms supported.
function expandGlob(root: string, glob: string): string[] {
  const segments = glob.replace(/\/+$/, '').split('/');
  let current = [root];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      if (segment === '**') next.push(base, ...subdirsDeep(base));
      else if (segment.includes('*')) {
        for (const name of subdirs(base)) if (matchesGlob(name, segment)) next.push(path.join(base, name));
      } else if (fs.existsSync(path.join(base, segment))) next.push(path.join(base, segment));
    }
    current = next;
  }
  return current;
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function subdirsDeep(dir: string): string[] {
  return subdirs(dir).flatMap((name) => {
    const child = path.join(dir, name);
    return [child, ...subdirsDeep(child)];
  });
}

function matchesGlob(value: string, glob: string): boolean {
  const pattern = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}
