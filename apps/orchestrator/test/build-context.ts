/**
 * The files `docker build` sends as its context, hence what the Dockerfile's `COPY . .` puts in the
 * image: every file under the root that the root's `.dockerignore` does not exclude, by Docker's own
 * rules (@balena/dockerignore is a port of Docker's matcher; case-sensitive, as Docker on Linux).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';

export function dockerignoreOf(root: string): string[] {
  const file = join(root, '.dockerignore');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
}

/** Paths relative to `root`, `/`-separated, sorted. */
export function buildContext(root: string, patterns = dockerignoreOf(root)): string[] {
  // An excluded directory is skipped whole: right while no pattern re-includes (`!`) a path.
  if (patterns.some((p) => p.trim().startsWith('!')))
    throw new Error('.dockerignore has ! exceptions: walk excluded directories too');
  // A CommonJS module typed as an ES default: its factory carries itself as `.default` too.
  const ig = dockerignore.default({ ignorecase: false }).add(patterns);
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (ig.ignores(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('');
  return files.sort();
}
