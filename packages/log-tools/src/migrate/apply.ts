// Applying a plan: refuse files with uncommitted changes, back every touched file up, then write.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../input-error.js';
import type { FileChange } from './plan.js';

export const BACKUP_DIR = 'backups/logging_migration';

/** Files among `files` that git reports as modified, staged or untracked; undefined outside a git repo. */
export function uncommittedFiles(root: string, files: string[]): string[] | undefined {
  if (files.length === 0) return [];
  const res = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...files], {
    cwd: root,
    encoding: 'utf8',
  });
  if (res.status !== 0) return undefined;
  const dirty = res.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.trim();
  return dirty.map((f) =>
    path
      .relative(root, path.join(top || root, f))
      .split(path.sep)
      .join('/'),
  );
}

export function refuseDirty(root: string, changes: FileChange[]): void {
  const existing = changes.filter((c) => c.before !== undefined).map((c) => path.relative(root, c.file));
  const dirty = uncommittedFiles(root, existing);
  if (dirty && dirty.length > 0) {
    throw new InputError(
      `refusing to migrate files with uncommitted changes: ${dirty.join(', ')} (commit them or pass --force)`,
    );
  }
}

/** Copies every existing file to backups/logging_migration/<timestamp>/<path>, then writes the new texts. */
export function applyChanges(root: string, changes: FileChange[], now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z');
  const backup = path.join(root, BACKUP_DIR, stamp);
  const created: string[] = [];
  for (const c of changes) {
    const rel = path.relative(root, c.file);
    if (c.before === undefined) {
      created.push(rel.split(path.sep).join('/'));
      continue;
    }
    fs.mkdirSync(path.dirname(path.join(backup, rel)), { recursive: true });
    fs.copyFileSync(c.file, path.join(backup, rel));
  }
  fs.mkdirSync(backup, { recursive: true });
  // New files have nothing to back up; the manifest says which ones to delete to undo.
  fs.writeFileSync(path.join(backup, 'manifest.json'), `${JSON.stringify({ created }, null, 2)}\n`);
  for (const c of changes) {
    fs.mkdirSync(path.dirname(c.file), { recursive: true });
    fs.writeFileSync(c.file, c.after);
  }
  return backup;
}
