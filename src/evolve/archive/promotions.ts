// What became of promoted candidates: an append-only ledger (promotions.jsonl in the archive) of each
// promotion's generation and its outcome. Candidate records are content-addressed and never rewritten (the
// first evaluation stands), so the outcome the boot chain decides later (blessed, or rolled back when the
// generation fell back) is a line here, not an edit there. The last line of a candidate is its outcome.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveReadOnlyError, type Archive } from './archive.js';

/** staged: built and staged with tries; blessed: it booted and passed its health; rolled-back: it fell back. */
export type PromotionOutcome = 'staged' | 'blessed' | 'rolled-back';

export interface PromotionRecord {
  schema: 1;
  candidate: string;
  /** The generation the promotion built. */
  generation: string;
  outcome: PromotionOutcome;
  /** Why (the store's bad reason for a rolled-back generation). */
  reason: string;
  at: string;
}

const ledger = (a: Archive) => join(a.dir, 'promotions.jsonl');

/** Every ledger line in the order written; a torn last line (kill -9 of a writer) is skipped. */
export function promotionLines(a: Archive): PromotionRecord[] {
  const file = ledger(a);
  if (!existsSync(file)) return [];
  const out: PromotionRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as PromotionRecord);
    } catch {
      // torn by kill -9 while appending: the outcome before it stands, and is learned again
    }
  }
  return out;
}

/** The latest promotion record of each candidate. */
export function promotions(a: Archive): Map<string, PromotionRecord> {
  const last = new Map<string, PromotionRecord>();
  for (const r of promotionLines(a)) last.set(r.candidate, r);
  return last;
}

/**
 * Appends `rec` (fsynced). A torn last line is ended first, so the new line stays whole.
 * @throws ArchiveReadOnlyError when the archive was opened read-only (only the lock holder writes)
 */
export function recordPromotion(a: Archive, rec: PromotionRecord): void {
  if (a.readOnly) throw new ArchiveReadOnlyError(`Cannot record the promotion of "${rec.candidate}" in archive "${a.dir}": it was opened read-only`);
  const file = ledger(a);
  const torn = existsSync(file) && !readFileSync(file, 'utf8').match(/(^|\n)$/);
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${torn ? '\n' : ''}${JSON.stringify(rec)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
