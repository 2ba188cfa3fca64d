// How results are cited: `path:line` (and `:column` when asked).
import type { Location } from './types.js';

/** `path:line`, or `path:line:column` with `withColumn`. */
export function formatLocation(loc: { path: string; line: number; column?: number }, withColumn = false): string {
  return withColumn && loc.column ? `${loc.path}:${loc.line}:${loc.column}` : `${loc.path}:${loc.line}`;
}

export const byLocation = (a: Location | { path: string; line: number; column?: number }, b: typeof a): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
