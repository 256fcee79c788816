/** The operators' real tools the export tests run, found on PATH; a missing one skips loudly. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of `tool` on PATH, or undefined. */
export function onPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** '' when found; else the reason, appended to the test's name and printed once on stderr. */
export function skipReason(found: string | undefined, tool: string, aptPackage: string): string {
  if (found) return '';
  const reason = ` (SKIPPED: ${tool} is not on PATH; apt-get install -y ${aptPackage})`;
  process.stderr.write(`\n*** ${tool} missing: its real-tool test is skipped${reason} ***\n`);
  return reason;
}
