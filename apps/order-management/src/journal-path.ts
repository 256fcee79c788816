import { join } from 'node:path';
import { dataDir } from '@drift/runtime';

/**
 * `<data dir>/<bot>.orders.sqlite`: the data dir is `DRIFT_DATA_DIR` when set (tests, several
 * fleets on one machine), else `<workspace>/data` (or `data/` under `cwd` outside a workspace).
 */
export function defaultJournalPath(bot: string, cwd = process.cwd(), env = process.env): string {
  return join(dataDir({ cwd, env }), `${bot}.orders.sqlite`);
}
