/**
 * "Did you mean": the known key nearest a misspelt one (`edgeBPS` -> `edgeBps`), read from the zod
 * schema at the path, so an unknown key in the config names what was probably meant.
 */
import type { z } from 'zod';

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Through defaults, optionals and transforms to the schema that holds the keys. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return s;
    s = inner;
  }
  return s;
}

/** The keys an object schema at `path` knows (undefined: not an object there). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    const def = defOf(s);
    const shape = (s as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (shape) s = shape[String(key)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return undefined;
    if (!s) return undefined;
    s = unwrap(s);
  }
  const shape = (s as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.keys(shape) : undefined;
}

/** The known key within a small edit distance of `key` (case ignored), if any. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  const tolerated = Math.max(2, Math.floor(key.length / 3));
  return best && best.distance <= tolerated ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
