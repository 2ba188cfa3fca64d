// Whether a repair of a seeded defect is its unique fix (the original file, up to whitespace or syntax tree)
// or a different change, which the benchmark counts apart as "plausible" when the tests pass.
import type * as TS from 'typescript';
import type { FileChange } from '../candidate.js';
import { NearDuplicates } from '../propose/index.js';
import type { Defect } from './types.js';

/** 'exact' when `changes` turn the defect's file back into the original, else 'different'. */
export function fixKind(ts: typeof TS, d: Defect, changes: FileChange[]): 'exact' | 'different' {
  const mine = changes.find((c) => c.path === d.file);
  if (!mine || mine.after === null || changes.some((c) => c.path !== d.file && c.before !== c.after)) return 'different';
  const seen = new NearDuplicates(ts);
  seen.markOriginal([{ path: d.file, text: d.fix.after! }]);
  return seen.admit([{ path: d.file, text: mine.after }]) ? 'different' : 'exact';
}
