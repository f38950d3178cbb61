import { z } from 'zod';

/**
 * Field names a strict spec schema accepts at a path, and the nearest one to a misspelt field, so that
 * "unknown field 'repetitons'" can say "did you mean 'repetitions'?".
 */

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else if (s instanceof z.ZodDefault) s = s.removeDefault() as z.ZodTypeAny;
    else return s;
  }
}

/** The fields of the object schema at `path` (array indices step into elements); empty when there is none. */
export function fieldsAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): string[] {
  let s = unwrap(schema);
  for (const p of path) {
    if (s instanceof z.ZodArray) s = unwrap(s.element as z.ZodTypeAny);
    else if (s instanceof z.ZodObject && typeof p === 'string') {
      const next = (s.shape as Record<string, z.ZodTypeAny>)[p];
      if (!next) return [];
      s = unwrap(next);
    } else if (s instanceof z.ZodRecord) s = unwrap(s.valueSchema as z.ZodTypeAny);
    else return [];
  }
  if (s instanceof z.ZodArray) s = unwrap(s.element as z.ZodTypeAny);
  return s instanceof z.ZodObject ? Object.keys(s.shape as object) : [];
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known field nearest to `word`, if it is close enough to be a typo (a third of its length, at least 1). */
export function closestField(word: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}
