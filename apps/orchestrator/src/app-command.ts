/**
 * The one command line that starts an app of the fleet, for the orchestrator's children, `run-one`
 * and the pm2/systemd/k8s exports alike: this Node (`process.execPath`), V8's young generation capped
 * (`SHORT_GC_PAUSE_FLAGS`), and the app's entry. A built entry (`dist/main.js`) runs on Node alone; a
 * TypeScript one (`src/main.ts`) needs tsx with the `source` condition, whose loader thread and
 * esbuild service cost ~45 MB per process, so only development runs that way.
 */
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHORT_GC_PAUSE_FLAGS } from '@drift/logging';

/** `built`: `dist/*.js` (what `pnpm start` builds first); `source`: `src/*.ts` under tsx. */
export type LaunchMode = 'built' | 'source';

/**
 * Children run the way the orchestrator itself runs: built when it is (`pnpm start`, exports), from
 * source when it is (`pnpm --filter orchestrator start`, the tests), so a source edit is never run stale.
 */
export const OWN_LAUNCH_MODE: LaunchMode =
  extname(fileURLToPath(import.meta.url)) === '.ts' ? 'source' : 'built';

const SOURCE_FLAGS = ['--conditions=source', '--import', 'tsx'] as const;

export interface AppCommand {
  /** The Node binary. */
  node: string;
  /** Node's own flags, before the entry. */
  nodeArgs: string[];
  /** Absolute path of the script. */
  entry: string;
}

/** An app package's entry for a launch mode: `main` -> `dist/main.js` or `src/main.ts`. */
export function appEntryFile(name: string, mode: LaunchMode): string {
  return mode === 'built' ? join('dist', `${name}.js`) : join('src', `${name}.ts`);
}

/** How to start `entry`: TypeScript under tsx (run with the app's package as cwd, where tsx resolves). */
export function appCommand(entry: string, node: string = process.execPath): AppCommand {
  const typescript = /\.[cm]?ts$/.test(entry);
  return { node, nodeArgs: [...SHORT_GC_PAUSE_FLAGS, ...(typescript ? SOURCE_FLAGS : [])], entry };
}
