// Applies non-overlapping text edits (positions in the original text), keeping everything else byte for byte.

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  // By start; at the same point insertions go before a replacement, else in the order they were planned.
  const isInsert = (e: Edit) => (e.start === e.end ? 0 : 1);
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || isInsert(a.e) - isInsert(b.e) || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos) continue; // overlaps an edit already applied (a call nested in a rewritten call)
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
