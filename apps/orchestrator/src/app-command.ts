/**
 * How one app of the fleet is launched: the node binary, its flags and the app's entry. One place for
 * every launcher: the orchestrator's children, `run-one`, the log routine and the pm2 / systemd /
 * Kubernetes exports. A built entry (`dist/main.js`) runs on Node alone; a TypeScript one
 * (`src/main.ts`) needs tsx with the `source` condition, whose loader thread and esbuild service cost
 * ~45 MB per process, so only development and tests run that way. `pnpm build` emits
 * `<package>/dist/<file>.js` for `<package>/src/<file>.ts`.
 */
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHORT_GC_PAUSE_FLAGS } from '@drift/logging';
import type { ChildSpec } from './child-spec.js';

/** The Node major the project requires (root `engines`, and the `node` devDependency). */
export const REQUIRED_NODE_MAJOR = 24;

/** `built`: `dist/*.js` (what `pnpm start` builds first); `source`: `src/*.ts` under tsx. */
export type LaunchMode = 'built' | 'source';

/**
 * Children run the way the orchestrator itself runs: built when it is (`pnpm start`, exports), from
 * source when it is (`pnpm --filter orchestrator start`, the tests), so a source edit is never run stale.
 */
export const OWN_LAUNCH_MODE: LaunchMode =
  extname(fileURLToPath(import.meta.url)) === '.ts' ? 'source' : 'built';

/** An app package's entry for a launch mode: `main` -> `dist/main.js` or `src/main.ts`. */
export function appEntryFile(name: string, mode: LaunchMode): string {
  return mode === 'built' ? join('dist', `${name}.js`) : join('src', `${name}.ts`);
}

export function isBuiltEntry(entry: string): boolean {
  return /\.[cm]?js$/.test(entry);
}

/** `<package>/src/x.ts` -> `<package>/dist/x.js` (the last `src` of the path); JavaScript is kept. */
export function builtEntryOf(spec: Pick<ChildSpec, 'entry'>): string {
  if (isBuiltEntry(spec.entry)) return spec.entry;
  const parts = spec.entry.split(sep);
  const src = parts.lastIndexOf('src');
  if (src < 0) throw new Error(`${spec.entry} is not under a src/ directory: no dist/ entry for it`);
  parts[src] = 'dist';
  return parts.join(sep).replace(/\.([cm]?)ts$/, '.$1js');
}

/**
 * Node flags for an entry: short GC pauses (logging's and the bots' event-loop delay depend on them,
 * see @drift/logging); TypeScript source also needs workspace packages' `source` condition and tsx.
 */
export function nodeFlagsFor(entry: string): string[] {
  return isBuiltEntry(entry)
    ? [...SHORT_GC_PAUSE_FLAGS]
    : [...SHORT_GC_PAUSE_FLAGS, '--conditions=source', '--import', 'tsx'];
}

export interface AppCommand {
  /** Absolute path of the node binary, or `node` found on PATH (a container image). */
  node: string;
  /** Node flags, then the built entry. */
  args: string[];
  cwd: string;
}

/** The command that runs `spec` from its built entry (exports). `node` defaults to this binary. */
export function appCommand(
  spec: Pick<ChildSpec, 'entry' | 'cwd'>,
  node: string = process.execPath,
): AppCommand {
  const entry = builtEntryOf(spec);
  return { node, args: [...nodeFlagsFor(entry), entry], cwd: spec.cwd };
}
