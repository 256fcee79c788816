/**
 * How one app of the fleet is launched from built JavaScript: the node binary, its flags and the
 * app's `dist/` entry. One place for every launcher (the exports to pm2 / systemd / Kubernetes, and
 * the orchestrator's own children), so production never runs TypeScript through a loader.
 * `pnpm build` emits `<package>/dist/<file>.js` for `<package>/src/<file>.ts`.
 */
import { sep } from 'node:path';
import { SHORT_GC_PAUSE_FLAGS } from '@drift/logging';
import type { ChildSpec } from './child-spec.js';

/** The Node major the project requires (root `engines`, and the `node` devDependency). */
export const REQUIRED_NODE_MAJOR = 24;

export interface AppCommand {
  /** Absolute path of the node binary, or `node` found on PATH (a container image). */
  node: string;
  /** Node flags, then the built entry. */
  args: string[];
  cwd: string;
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

export function isBuiltEntry(entry: string): boolean {
  return /\.[cm]?js$/.test(entry);
}

/**
 * Node flags for an entry: short GC pauses (logging's and the bots' event-loop delay depend on them,
 * see @drift/logging); TypeScript source (development) also needs workspace packages' `source`
 * condition and the tsx loader.
 */
export function nodeFlagsFor(entry: string): string[] {
  return isBuiltEntry(entry)
    ? [...SHORT_GC_PAUSE_FLAGS]
    : [...SHORT_GC_PAUSE_FLAGS, '--conditions=source', '--import', 'tsx'];
}

/** The command that runs `spec` from its built entry. `node` defaults to the running binary. */
export function appCommand(
  spec: Pick<ChildSpec, 'entry' | 'cwd'>,
  node: string = process.execPath,
): AppCommand {
  const entry = builtEntryOf(spec);
  return { node, args: [...nodeFlagsFor(entry), entry], cwd: spec.cwd };
}
