import { join } from 'node:path';
import { findWorkspaceRoot } from '@drift/core';

/** `<workspace>/data/<bot>.orders.sqlite` (or under `cwd` outside a workspace). */
export function defaultJournalPath(bot: string, cwd = process.cwd()): string {
  return join(findWorkspaceRoot(cwd) ?? cwd, 'data', `${bot}.orders.sqlite`);
}
