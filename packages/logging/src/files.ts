/**
 * Where an app's log files are, and the retention sweep. Naming:
 *   <logDir>/<app>.log            the active file
 *   <logDir>/<app>.log.1 .. .N    rotated, .1 the newest (N = maxFiles, default 5)
 *   <logDir>/<app>.<pid>.log[.N]  a second process of the same app (see lock.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveLogDir } from './options.js';

export function logFilePath(appName: string, logDir = resolveLogDir()): string {
  return path.join(logDir, `${appName}.log`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Does `fileName` belong to `appName` (active, rotated, or a second writer's file)? */
export function isLogFileOf(appName: string, fileName: string): boolean {
  return new RegExp(`^${escapeRegExp(appName)}(\\.\\d+)?\\.log(\\.\\d+)?$`).test(fileName);
}

export interface LogFileInfo {
  path: string;
  size: number;
  mtimeMs: number;
  /** 0 for an active file, N for `.log.N`. */
  rotation: number;
}

/** An app's log files, newest content first (active, then .1, .2, ...). Missing dir -> []. */
export function listLogFiles(appName: string, logDir = resolveLogDir()): LogFileInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(logDir);
  } catch {
    return [];
  }
  const out: LogFileInfo[] = [];
  for (const name of names) {
    if (!isLogFileOf(appName, name)) continue;
    try {
      const st = fs.statSync(path.join(logDir, name));
      if (!st.isFile()) continue;
      const rotation = Number(/\.log\.(\d+)$/.exec(name)?.[1] ?? 0);
      out.push({ path: path.join(logDir, name), size: st.size, mtimeMs: st.mtimeMs, rotation });
    } catch {
      // removed meanwhile
    }
  }
  return out.sort((a, b) => a.rotation - b.rotation || b.mtimeMs - a.mtimeMs);
}

/**
 * Deletes the app's files not modified within `retentionDays`; returns the deleted paths. `keep`
 * is the file this process has open: an app idle for a week must not lose the file it writes to.
 */
export function sweepRetention(
  appName: string,
  logDir: string,
  retentionDays: number,
  now = Date.now(),
  keep?: string,
): string[] {
  const cutoff = now - retentionDays * 24 * 60 * 60 * 1000;
  const deleted: string[] = [];
  for (const f of listLogFiles(appName, logDir)) {
    if (f.mtimeMs >= cutoff || (keep !== undefined && path.resolve(f.path) === path.resolve(keep))) continue;
    try {
      fs.unlinkSync(f.path);
      deleted.push(f.path);
    } catch {
      // already gone, or not ours to delete: the next sweep tries again
    }
  }
  return deleted;
}
