// Every error class carries a stable DRIFT_ERR_* code, defined once and documented in the README table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const README = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');

/** Runtime sources of every workspace package (not tests, not build output). */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        out.push({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  for (const group of ['apps', 'packages'])
    for (const pkg of readdirSync(join(ROOT, group), { withFileTypes: true }))
      if (pkg.isDirectory()) {
        try {
          walk(join(ROOT, group, pkg.name, 'src'));
        } catch {
          // a package without src/
        }
      }
  return out;
}

const SRC = sources();
const defined = SRC.flatMap(({ file, text }) =>
  [...text.matchAll(/readonly code = '(DRIFT_ERR_[A-Z0-9_]+)'/g)].map((m) => ({ file, code: m[1]! })),
);
const documented = [...README.matchAll(/^\| `(DRIFT_ERR_[A-Z0-9_]+)` /gm)].map((m) => m[1]!);

describe('error codes', () => {
  it('finds the codes it checks', () => {
    expect(defined.length).toBeGreaterThan(10);
  });

  it('defines each code once', () => {
    const seen = new Map<string, string>();
    for (const { file, code } of defined) {
      expect(seen.get(code), `${code} defined in ${seen.get(code)} and ${file}`).toBeUndefined();
      seen.set(code, file);
    }
  });

  it('documents each code in the README table, and nothing else', () => {
    expect(documented.filter((code) => !defined.some((d) => d.code === code))).toEqual([]);
    expect(defined.filter(({ code }) => !documented.includes(code))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('gives every error class a code (extends DriftError, not Error)', () => {
    const bare = SRC.flatMap(({ file, text }) =>
      [...text.matchAll(/class (\w+) extends Error\b/g)].map((m) => `${file}: ${m[1]}`),
    ).filter((hit) => !hit.endsWith(': DriftError'));
    expect(bare).toEqual([]);
  });
});
