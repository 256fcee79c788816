/**
 * Every app's `params` checked with the app's own schema before any process starts: each app's
 * `src/params.ts` (its built `dist/params.js` when the orchestrator runs built) exports
 * `paramsSchema`. All problems of all apps come back together, so one report lists them.
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAppParams, type FleetConfig } from '@drift/config';
import type { z } from 'zod';

const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
const PARAMS_MODULE = fromSource ? 'src/params.ts' : 'dist/params.js';

export async function appParamsIssues(config: FleetConfig, root: string): Promise<string[]> {
  const issues: string[] = [];
  // Libraries too: the bots read their params in-process.
  for (const app of Object.values(config.apps).filter((a) => a.enabled)) {
    const file = join(root, app.dir, PARAMS_MODULE);
    if (!existsSync(file)) {
      const given = app.params !== undefined && Object.keys(app.params as object).length > 0;
      if (given) issues.push(`apps.${app.name}.params: the app has no ${PARAMS_MODULE} to check them with`);
      continue;
    }
    const { paramsSchema } = (await import(pathToFileURL(file).href)) as { paramsSchema?: z.ZodType };
    if (!paramsSchema) {
      issues.push(`apps.${app.name}: ${file} exports no paramsSchema`);
      continue;
    }
    const checked = checkAppParams(config, app.name, paramsSchema);
    if (!checked.ok) issues.push(...checked.issues);
  }
  return issues;
}
