import fs from 'node:fs';
import path from 'node:path';

/** The nearest ancestor of `from` holding pnpm-workspace.yaml: logs go to its `logs/`, whatever the cwd. */
export function findWorkspaceRoot(from = process.cwd()): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
