// An app's log files in the log dir; which files belong to it (and their naming) is @drift/logging's knowledge.
import fs from 'node:fs';
import path from 'node:path';
import { listLogFiles } from '@drift/logging';

export interface LogFile {
  path: string;
  name: string;
  /** The file being written (`<app>.log`), as opposed to a rotated one. */
  current: boolean;
  /** 0 for a file being written, N for `<app>.log.N`. */
  rotation: number;
  size: number;
  mtimeMs: number;
}

/** The current file first, then the others (rotated, a second writer's) newest first. */
export function appLogFiles(app: string, logDir: string): LogFile[] {
  const files: LogFile[] = [];
  for (const info of listLogFiles(app, logDir)) {
    const name = path.basename(info.path);
    files.push({
      path: info.path,
      name,
      current: name === `${app}.log`,
      rotation: info.rotation,
      size: info.size,
      mtimeMs: info.mtimeMs,
    });
  }
  return files.sort((a, b) => Number(b.current) - Number(a.current) || b.mtimeMs - a.mtimeMs);
}

/** Apps that have a `<app>.log` or rotated file in the log dir. */
export function appsInLogDir(logDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(logDir);
  } catch {
    return [];
  }
  const apps = new Set<string>();
  for (const name of names) {
    const i = name.indexOf('.log');
    if (i > 0) apps.add(name.slice(0, i));
  }
  return [...apps].sort();
}
