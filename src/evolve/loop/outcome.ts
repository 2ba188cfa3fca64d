// The loop learns what the boot chain decided about its promotions: a staged promotion whose generation the
// store now calls bad fell back (it broke boot or its health), and is recorded as rolled back; one the store
// calls good was blessed. A rolled-back candidate is never promoted again, nor chosen as a parent.
import { promotions, recordPromotion, type PromotionRecord } from '../archive/promotions.js';
import type { Archive } from '../archive/archive.js';

/** What the loop reads of the generation store: each generation's status (src/gen's GenerationRecord). */
export type GenerationStatuses = Readonly<Record<string, { status: string; badReason: string | null } | undefined>>;

/** A staged promotion's outcome as the store tells it, or null while the generation is still on trial. */
function outcomeOf(rec: PromotionRecord, gens: GenerationStatuses, now: Date): PromotionRecord | null {
  const g = gens[rec.generation];
  if (!g) return null; // collected from the store, or a store that never had it: nothing to learn
  if (g.status === 'bad') {
    return { ...rec, outcome: 'rolled-back', reason: `generation ${rec.generation} fell back: ${g.badReason ?? 'marked bad'}`, at: now.toISOString() };
  }
  if (g.status === 'good') return { ...rec, outcome: 'blessed', reason: `generation ${rec.generation} booted and was blessed`, at: now.toISOString() };
  return null;
}

/**
 * The latest promotion of each candidate with what the store now says applied (without writing), so a
 * read-only `evolve status` still reports a rollback the ledger has not recorded yet.
 */
export function promotionOutcomes(archive: Archive, gens: GenerationStatuses, now = new Date()): Map<string, PromotionRecord> {
  const out = promotions(archive);
  for (const [id, rec] of out) {
    const learned = rec.outcome === 'staged' ? outcomeOf(rec, gens, now) : null;
    if (learned) out.set(id, learned);
  }
  return out;
}

/**
 * Records the outcome of every staged promotion the store has decided; returns the new records.
 * @throws ArchiveReadOnlyError when there is something to record and the archive is read-only
 */
export function learnPromotionOutcomes(archive: Archive, gens: GenerationStatuses, now = new Date()): PromotionRecord[] {
  const learned: PromotionRecord[] = [];
  for (const rec of promotions(archive).values()) {
    const next = rec.outcome === 'staged' ? outcomeOf(rec, gens, now) : null;
    if (!next) continue;
    recordPromotion(archive, next);
    learned.push(next);
  }
  return learned;
}

/** Candidates whose generation fell back, by the ledger. */
export function rolledBack(archive: Archive): Set<string> {
  return new Set([...promotions(archive).values()].filter((r) => r.outcome === 'rolled-back').map((r) => r.candidate));
}
