// The previous audit's critical count, so the summary can say "Critical issues: 5 -> 0".
import fs from 'node:fs';
import path from 'node:path';

/** Relative to the workspace root; the root .gitignore ignores `.drift-logs/`. */
export const AUDIT_STATE_FILE = '.drift-logs/audit-state.json';

interface Entry {
  critical: number;
  at: string;
}

export function readPrevious(root: string, scope: string): number | undefined {
  return readState(root)[scope]?.critical;
}

export function recordCurrent(root: string, scope: string, critical: number, now = new Date()): void {
  const file = path.join(root, AUDIT_STATE_FILE);
  const state = readState(root);
  state[scope] = { critical, at: now.toISOString() };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch {
    // A read-only workspace still gets its audit; only the "previous" figure is lost next time.
  }
}

function readState(root: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(root, AUDIT_STATE_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}
